"""Writes of the resources registry. Each checks the actor's reach on the record's area
(``Cap.MANAGE_RESOURCES``), validates, writes, and records an audit event in the same
transaction. Bad input raises ``ValidationFailed`` with field errors and writes nothing."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import area_grants, can_on, require
from shouwang.accounts.models import Organisation, User
from shouwang.audit.services import audit_record
from shouwang.core.errors import NotFound, ValidationFailed
from shouwang.geo.models import Area
from shouwang.matching.domain import parse_languages
from shouwang.registry.models import Child
from shouwang.resources.audit_actions import ResourceAction
from shouwang.resources.models import (
    Fund,
    FundEntry,
    MaterialDistribution,
    MaterialDonation,
    Volunteer,
)
from shouwang.services.models import ServiceType

MAX_HOURS_A_MONTH = 200
MAX_TRAVEL_KM = 200


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)


def check_area(actor: User, area: Area) -> None:
    """The record's area must lie within one where the actor manages resources."""
    require(actor, Cap.MANAGE_RESOURCES)
    if not any(area.path.startswith(a.path) for a in area_grants(actor, Cap.MANAGE_RESOURCES)):
        raise ValidationFailed(
            _("Please correct the errors below."),
            {"area": [_("Choose an area within your own.")]},
        )


def _not_future(on: dt.date | None, field: str, errors: dict[str, list[str]]) -> None:
    if on is not None and on > timezone.localdate():
        errors.setdefault(field, []).append(_("This date cannot be in the future."))


# --- Volunteers -----------------------------------------------------------------------


@transaction.atomic
def volunteer_save(
    *,
    actor: User,
    volunteer: Volunteer | None = None,
    name: str,
    area: Area,
    phone: str = "",
    organisation: Organisation | None = None,
    skills: list[ServiceType] | tuple[ServiceType, ...] = (),
    dialects: str = "",
    hours_per_month: int = 8,
    available_days: str = "",
    max_travel_km: int = 10,
    vetting: str = Volunteer.Vetting.NOT_VETTED,
    vetted_on: dt.date | None = None,
    active: bool = True,
) -> Volunteer:
    """Register a volunteer (``volunteer=None``) or change one. A change of vetting status
    is audited on its own (``volunteer.vetting_changed``, with the old and new status)."""
    if volunteer is not None:
        require(actor, Cap.MANAGE_RESOURCES, volunteer)
    check_area(actor, area)
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = [_("Enter the volunteer's name.")]
    if not 1 <= hours_per_month <= MAX_HOURS_A_MONTH:
        errors["hours_per_month"] = [_("Enter between 1 and 200 hours a month.")]
    if not 0 <= max_travel_km <= MAX_TRAVEL_KM:
        errors["max_travel_km"] = [_("Enter a distance between 0 and 200 km.")]
    if vetting not in Volunteer.Vetting.values:
        errors["vetting"] = [_("Choose a vetting status.")]
    if vetting == Volunteer.Vetting.VETTED and vetted_on is None:
        errors["vetted_on"] = [_("Enter the date the vetting was completed.")]
    _not_future(vetted_on, "vetted_on", errors)
    _fail(errors)
    fields: dict[str, Any] = {
        "name": name,
        "phone": phone.strip(),
        "organisation": organisation,
        "area": area,
        "dialects": ", ".join(parse_languages(dialects)),
        "hours_per_month": hours_per_month,
        "available_days": available_days.strip(),
        "max_travel_km": max_travel_km,
        "vetting": vetting,
        "vetted_on": vetted_on if vetting != Volunteer.Vetting.NOT_VETTED else None,
        "active": active,
    }
    if volunteer is None:
        volunteer = Volunteer.objects.create(**fields)
        old_vetting = None
        action = ResourceAction.VOLUNTEER_REGISTERED
    else:
        old_vetting = volunteer.vetting
        for key, value in fields.items():
            setattr(volunteer, key, value)
        volunteer.save(update_fields=[*fields, "updated_at"])
        action = ResourceAction.VOLUNTEER_CHANGED
    volunteer.skills.set(skills)
    audit_record(
        actor=actor,
        action=action,
        target=volunteer,
        area=area,
        extra={"skills": sorted(s.code for s in skills)},
    )
    if old_vetting is not None and old_vetting != vetting:
        audit_record(
            actor=actor,
            action=ResourceAction.VOLUNTEER_VETTING_CHANGED,
            target=volunteer,
            area=area,
            extra={"from": old_vetting, "to": vetting},
        )
    return volunteer


# --- Funds ----------------------------------------------------------------------------


@transaction.atomic
def fund_register(
    *,
    actor: User,
    name: str,
    source: str,
    sector: str,
    area: Area,
    amount: Decimal,
    purpose: str,
    received_on: dt.date,
) -> Fund:
    check_area(actor, area)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Enter a name for the fund.")]
    if not source.strip():
        errors["source"] = [_("Enter where the money comes from.")]
    if sector not in Organisation.Sector.values:
        errors["sector"] = [_("Choose a welfare sector.")]
    if amount <= 0:
        errors["amount"] = [_("Enter an amount above zero.")]
    _not_future(received_on, "received_on", errors)
    _fail(errors)
    fund = Fund.objects.create(
        name=name.strip(),
        source=source.strip(),
        sector=sector,
        area=area,
        amount=amount,
        purpose=purpose.strip(),
        received_on=received_on,
    )
    audit_record(
        actor=actor,
        action=ResourceAction.FUND_REGISTERED,
        target=fund,
        area=area,
        extra={"amount": str(amount), "sector": sector},
    )
    return fund


def fund_totals(fund: Fund) -> dict[str, Decimal]:
    """Allocated and spent: sums of the fund's entries (never stored twice)."""
    sums = {
        row["kind"]: row["total"]
        for row in FundEntry.objects.filter(fund=fund).values("kind").annotate(total=Sum("amount"))
    }
    cents = Decimal("0.01")
    return {
        "allocated": Decimal(sums.get(FundEntry.Kind.ALLOCATED) or 0).quantize(cents),
        "spent": Decimal(sums.get(FundEntry.Kind.SPENT) or 0).quantize(cents),
    }


@transaction.atomic
def fund_entry_record(
    *,
    actor: User,
    fund: Fund,
    kind: str,
    amount: Decimal,
    on: dt.date,
    purpose: str,
) -> FundEntry:
    """Allocate money from a fund, or record spending of allocated money. Never more
    allocated than the fund holds, never more spent than allocated."""
    require(actor, Cap.MANAGE_RESOURCES, fund)
    # Lock the fund so that two clerks cannot both allocate its last yuan.
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    errors: dict[str, list[str]] = {}
    if kind not in FundEntry.Kind.values:
        errors["kind"] = [_("Choose allocated or spent.")]
    if amount <= 0:
        errors["amount"] = [_("Enter an amount above zero.")]
    if not purpose.strip():
        errors["purpose"] = [_("Say what the money is for.")]
    _not_future(on, "on", errors)
    _fail(errors)
    totals = fund_totals(fund)
    if kind == FundEntry.Kind.ALLOCATED and totals["allocated"] + amount > fund.amount:
        left = fund.amount - totals["allocated"]
        errors["amount"] = [
            _("Only %(left)s yuan of this fund is not yet allocated.") % {"left": left}
        ]
    if kind == FundEntry.Kind.SPENT and totals["spent"] + amount > totals["allocated"]:
        left = totals["allocated"] - totals["spent"]
        errors["amount"] = [
            _("Only %(left)s yuan of the allocated money is not yet spent.") % {"left": left}
        ]
    _fail(errors)
    entry = FundEntry.objects.create(
        fund=fund, kind=kind, amount=amount, on=on, purpose=purpose.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=ResourceAction.FUND_ENTRY_RECORDED,
        target=fund,
        area=fund.area,
        extra={"kind": kind, "amount": str(amount), "on": on.isoformat()},
    )
    return entry


# --- Donated material -----------------------------------------------------------------


@transaction.atomic
def donation_register(
    *,
    actor: User,
    item: str,
    quantity: int,
    sector: str,
    area: Area,
    received_on: dt.date,
    unit: str = "",
    donor: Organisation | None = None,
    donor_name: str = "",
) -> MaterialDonation:
    check_area(actor, area)
    errors: dict[str, list[str]] = {}
    if not item.strip():
        errors["item"] = [_("Say what was donated.")]
    if quantity < 1:
        errors["quantity"] = [_("Enter a quantity of at least 1.")]
    if sector not in Organisation.Sector.values:
        errors["sector"] = [_("Choose a welfare sector.")]
    if donor is None and not donor_name.strip():
        errors["donor_name"] = [_("Name the donor.")]
    _not_future(received_on, "received_on", errors)
    _fail(errors)
    donation = MaterialDonation.objects.create(
        item=item.strip(),
        quantity=quantity,
        unit=unit.strip(),
        donor=donor,
        donor_name=donor_name.strip(),
        sector=sector,
        area=area,
        received_on=received_on,
    )
    audit_record(
        actor=actor,
        action=ResourceAction.DONATION_REGISTERED,
        target=donation,
        area=area,
        extra={"item": donation.item, "quantity": quantity},
    )
    return donation


def donation_given(donation: MaterialDonation) -> int:
    total = MaterialDistribution.objects.filter(donation=donation).aggregate(t=Sum("quantity"))
    return int(total["t"] or 0)


@transaction.atomic
def donation_distribute(
    *,
    actor: User,
    donation: MaterialDonation,
    child: Child,
    quantity: int,
    given_on: dt.date,
) -> MaterialDistribution:
    """Give part of a donation to a child of its area whom the actor may see; never more
    than was received."""
    require(actor, Cap.MANAGE_RESOURCES, donation)
    if not can_on(actor, Cap.VIEW_CHILD, child):
        raise NotFound(_("Child not found."))
    donation = MaterialDonation.objects.select_for_update().get(pk=donation.pk)
    errors: dict[str, list[str]] = {}
    if not child.village.path.startswith(donation.area.path):
        errors["child"] = [_("This child does not live in the donation's area.")]
    if quantity < 1:
        errors["quantity"] = [_("Enter a quantity of at least 1.")]
    elif donation_given(donation) + quantity > donation.quantity:
        left = donation.quantity - donation_given(donation)
        errors["quantity"] = [_("Only %(left)s are left to give.") % {"left": left}]
    _not_future(given_on, "given_on", errors)
    _fail(errors)
    given = MaterialDistribution.objects.create(
        donation=donation, child=child, quantity=quantity, given_on=given_on, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=ResourceAction.DONATION_DISTRIBUTED,
        target=child,
        area=child.village,
        extra={"donation": str(donation.public_id), "quantity": quantity},
    )
    return given
