"""Writes of the services app. Each checks access, validates, writes, and records an audit
event in the same transaction (the caller's request is atomic)."""

import datetime as dt
import re

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import require
from shouwang.accounts.models import Organisation, User
from shouwang.audit.services import SystemActor, audit_record
from shouwang.cases.models import Domain, PlanAction
from shouwang.cases.services import plan_action_done
from shouwang.core.errors import ValidationFailed
from shouwang.geo.models import Area
from shouwang.referrals.models import Referral
from shouwang.registry.models import Child
from shouwang.resources.models import Volunteer
from shouwang.services.audit_actions import ServiceAction
from shouwang.services.models import (
    Activity,
    Attendance,
    OrganisationService,
    ServiceDelivery,
    ServiceNeed,
    ServiceType,
)

MAX_DELIVERY_MINUTES = 24 * 60
_CODE = re.compile(r"[a-z][a-z0-9_]{1,39}")


@transaction.atomic
def record_delivery(
    *,
    actor: User,
    child: Child,
    service_type: ServiceType,
    delivered_on: dt.date,
    duration_minutes: int = 0,
    organisation: Organisation | None = None,
    volunteer: Volunteer | None = None,
    plan_action: PlanAction | None = None,
    referral: Referral | None = None,
    notes: str = "",
    mark_action_done: bool = False,
) -> ServiceDelivery:
    """Record that a service reached a child (against the plan action it fulfils, and the
    referral it answers, if any). With ``mark_action_done`` the plan action is closed as
    done in the same transaction (``cases.services.plan_action_done``, which needs the
    case-management capability)."""
    require(actor, Cap.RECORD_DELIVERY, child)
    errors: dict[str, list[str]] = {}
    if delivered_on > timezone.localdate():
        errors["delivered_on"] = [_("This date cannot be in the future.")]
    if duration_minutes < 0 or duration_minutes > MAX_DELIVERY_MINUTES:
        errors["duration_minutes"] = [_("Enter a duration between 0 and 1,440 minutes.")]
    if not service_type.active:
        errors["service_type"] = [_("This service is no longer offered.")]
    if plan_action is not None and plan_action.plan.case.child_id != child.pk:
        errors["plan_action"] = [_("This plan action belongs to another child.")]
    if referral is not None and referral.child_id != child.pk:
        errors["referral"] = [_("This referral is for another child.")]
    if mark_action_done and plan_action is None:
        errors["plan_action"] = [_("Choose the plan action this service fulfils.")]
    if len(notes) > 300:
        errors["notes"] = [_("Keep the notes under 300 characters.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    delivery = ServiceDelivery.objects.create(
        child=child,
        service_type=service_type,
        delivered_on=delivered_on,
        duration_minutes=duration_minutes,
        organisation=organisation,
        volunteer=volunteer,
        plan_action=plan_action,
        referral=referral,
        notes=notes.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=ServiceAction.DELIVERED,
        target=child,
        area=child.village,
        extra={
            "delivery": str(delivery.public_id),
            "service": service_type.code,
            "on": delivered_on.isoformat(),
        },
    )
    if mark_action_done and plan_action is not None:
        plan_action_done(actor=actor, action=plan_action)
    return delivery


@transaction.atomic
def raise_need(
    *,
    actor: User | SystemActor,
    child: Child,
    service_type: ServiceType,
    plan_action: PlanAction | None = None,
    hours_per_month: int = 2,
    note: str = "",
) -> ServiceNeed:
    """Say that a child needs a service nobody delivers yet (matching will look for one).
    Raising the same open need twice returns the one already open."""
    if isinstance(actor, User):
        require(actor, Cap.RAISE_NEED, child)
    if plan_action is not None and plan_action.plan.case.child_id != child.pk:
        raise ValidationFailed(
            _("Please correct the errors below."),
            {"plan_action": [_("This plan action belongs to another child.")]},
        )
    if not 1 <= hours_per_month <= 60:
        raise ValidationFailed(
            _("Please correct the errors below."),
            {"hours_per_month": [_("Enter between 1 and 60 hours a month.")]},
        )
    existing = ServiceNeed.objects.filter(
        child=child,
        service_type=service_type,
        status__in=[ServiceNeed.Status.OPEN, ServiceNeed.Status.ASSIGNED],
    ).first()
    if existing is not None:
        return existing
    need = ServiceNeed.objects.create(
        child=child,
        service_type=service_type,
        plan_action=plan_action,
        hours_per_month=hours_per_month,
        note=note.strip(),
        raised_on=timezone.localdate(),
        raised_by=actor if isinstance(actor, User) else None,
    )
    audit_record(
        actor=actor,
        action=ServiceAction.NEED_RAISED,
        target=child,
        area=child.village,
        extra={"need": str(need.public_id), "service": service_type.code},
    )
    return need


@transaction.atomic
def assign_need(
    *,
    actor: User,
    need: ServiceNeed,
    volunteer: Volunteer | None = None,
    organisation: Organisation | None = None,
    version: int | None = None,
) -> ServiceNeed:
    """Give an open need to a volunteer or an organisation (a supervisor's decision, often
    on a matching suggestion). A volunteer who is not vetted never gets a service that
    means being alone with the child."""
    require(actor, Cap.RUN_MATCHING, need.child)
    if (volunteer is None) == (organisation is None):
        raise ValidationFailed(_("Choose one volunteer or one organisation."))
    if (
        volunteer is not None
        and need.service_type.one_to_one
        and volunteer.vetting != Volunteer.Vetting.VETTED
    ):
        raise ValidationFailed(
            _("%(name)s is not vetted and cannot be alone with a child.") % {"name": volunteer.name}
        )
    if need.status not in (ServiceNeed.Status.OPEN, ServiceNeed.Status.ASSIGNED):
        raise ValidationFailed(_("This need is closed."))
    updated = ServiceNeed.objects.filter(
        pk=need.pk, version=need.version if version is None else version
    ).update(
        status=ServiceNeed.Status.ASSIGNED,
        assigned_volunteer=volunteer,
        assigned_organisation=organisation,
        assigned_on=timezone.localdate(),
        version=F("version") + 1,
    )
    if not updated:
        raise ValidationFailed(
            _("Someone else changed this need since you opened it. Reload to see it.")
        )
    need.refresh_from_db()
    audit_record(
        actor=actor,
        action=ServiceAction.NEED_ASSIGNED,
        target=need.child,
        area=need.child.village,
        extra={
            "need": str(need.public_id),
            "volunteer": str(volunteer.public_id) if volunteer else None,
            "organisation": str(organisation.public_id) if organisation else None,
        },
    )
    return need


# --- The catalogue (administrators) -------------------------------------------------------

_TYPE_FIELDS = ("name_zh", "name_en", "domain", "mode", "one_to_one", "active", "sort_order")


def _type_errors(*, name_zh: str, name_en: str, domain: str, mode: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name_zh.strip():
        errors["name_zh"] = [_("Enter the Chinese name.")]
    if not name_en.strip():
        errors["name_en"] = [_("Enter the English name.")]
    if domain not in Domain.values:
        errors["domain"] = [_("Choose a domain from the list.")]
    if mode not in ServiceType.Mode.values:
        errors["mode"] = [_("Choose a mode from the list.")]
    return errors


@transaction.atomic
def service_type_create(
    *,
    actor: User,
    code: str,
    name_zh: str,
    name_en: str,
    domain: str,
    mode: str,
    one_to_one: bool = False,
    sort_order: int = 100,
) -> ServiceType:
    """Add a service type to the catalogue."""
    require(actor, Cap.MANAGE_CATALOGUE)
    code = code.strip().lower()
    errors = _type_errors(name_zh=name_zh, name_en=name_en, domain=domain, mode=mode)
    if not _CODE.fullmatch(code):
        errors["code"] = [
            _("Use 2 to 40 lower-case letters, digits and underscores, starting with a letter.")
        ]
    elif ServiceType.objects.filter(code=code).exists():
        errors["code"] = [_("A service type with this code already exists.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    service_type = ServiceType.objects.create(
        code=code,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        domain=domain,
        mode=mode,
        one_to_one=one_to_one,
        sort_order=sort_order,
    )
    audit_record(
        actor=actor,
        action=ServiceAction.TYPE_CREATED,
        target=service_type,
        extra={"code": code},
    )
    return service_type


@transaction.atomic
def service_type_update(
    *,
    actor: User,
    service_type: ServiceType,
    name_zh: str,
    name_en: str,
    domain: str,
    mode: str,
    one_to_one: bool,
    active: bool,
    sort_order: int,
) -> ServiceType:
    """Change a service type (its code stays: other records and exports name it).
    Deactivating keeps every record that uses it and stops new ones."""
    require(actor, Cap.MANAGE_CATALOGUE)
    errors = _type_errors(name_zh=name_zh, name_en=name_en, domain=domain, mode=mode)
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    new = {
        "name_zh": name_zh.strip(),
        "name_en": name_en.strip(),
        "domain": domain,
        "mode": mode,
        "one_to_one": one_to_one,
        "active": active,
        "sort_order": sort_order,
    }
    changed = [f for f in _TYPE_FIELDS if getattr(service_type, f) != new[f]]
    if not changed:
        return service_type
    before = {f: getattr(service_type, f) for f in changed}
    for f in changed:
        setattr(service_type, f, new[f])
    service_type.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action=ServiceAction.TYPE_CHANGED,
        target=service_type,
        extra={"code": service_type.code, "before": before, "after": {f: new[f] for f in changed}},
    )
    return service_type


def service_type_in_use(service_type: ServiceType) -> bool:
    return (
        service_type.deliveries.exists()
        or service_type.offers.exists()
        or service_type.activities.exists()
        or service_type.needs.exists()
        or service_type.volunteers.exists()
    )


@transaction.atomic
def service_type_delete(*, actor: User, service_type: ServiceType) -> None:
    """Delete a service type nothing uses (a typo, a duplicate). A type in use is never
    deleted: deactivate it instead."""
    require(actor, Cap.MANAGE_CATALOGUE)
    locked = ServiceType.objects.select_for_update().get(pk=service_type.pk)
    if service_type_in_use(locked):
        raise ValidationFailed(
            _("This service type is in use and cannot be deleted. Deactivate it instead.")
        )
    code = locked.code
    audit_record(
        actor=actor,
        action=ServiceAction.TYPE_DELETED,
        target=locked,
        extra={"code": code},
    )
    locked.delete()


# --- Organisations' offers (supervisors, county) ------------------------------------------

MAX_CAPACITY = 10_000


@transaction.atomic
def offer_save(
    *,
    actor: User,
    organisation: Organisation,
    service_type: ServiceType,
    area: Area,
    capacity_per_month: int,
    active: bool = True,
    offer: OrganisationService | None = None,
) -> OrganisationService:
    """Add an organisation's offer, or change one (``offer``): a service type in an area
    (its subtree), up to a number of children a month. The actor must hold the
    offers capability over the offer's area, before and after the change."""
    if offer is not None:
        require(actor, Cap.MANAGE_OFFERS, offer)
    candidate = OrganisationService(organisation=organisation, area=area)
    require(actor, Cap.MANAGE_OFFERS, candidate)
    errors: dict[str, list[str]] = {}
    if not 0 <= capacity_per_month <= MAX_CAPACITY:
        errors["capacity_per_month"] = [_("Enter between 0 and 10,000 children a month.")]
    if not service_type.active and (offer is None or offer.service_type_id != service_type.pk):
        errors["service_type"] = [_("This service is no longer offered.")]
    if not organisation.active:
        errors["organisation"] = [_("This organisation is no longer active.")]
    duplicate = OrganisationService.objects.filter(
        organisation=organisation, service_type=service_type, area=area
    )
    if offer is not None:
        duplicate = duplicate.exclude(pk=offer.pk)
    if duplicate.exists():
        errors["service_type"] = [_("This organisation already offers this service in this area.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    if offer is None:
        offer = OrganisationService.objects.create(
            organisation=organisation,
            service_type=service_type,
            area=area,
            capacity_per_month=capacity_per_month,
            active=active,
        )
        action = ServiceAction.OFFER_CREATED
    else:
        offer.organisation = organisation
        offer.service_type = service_type
        offer.area = area
        offer.capacity_per_month = capacity_per_month
        offer.active = active
        offer.save(
            update_fields=[
                "organisation",
                "service_type",
                "area",
                "capacity_per_month",
                "active",
                "updated_at",
            ]
        )
        action = ServiceAction.OFFER_CHANGED
    audit_record(
        actor=actor,
        action=action,
        target=offer,
        area=area,
        extra={
            "organisation": str(organisation.public_id),
            "service": service_type.code,
            "capacity": capacity_per_month,
            "active": active,
        },
    )
    return offer


# --- Group activities and attendance ------------------------------------------------------


@transaction.atomic
def activity_create(
    *,
    actor: User,
    title: str,
    service_type: ServiceType,
    held_on: dt.date,
    place: str,
    area: Area,
    organiser: Organisation,
    duration_minutes: int = 60,
    notes: str = "",
) -> Activity:
    """Record a group activity in the actor's area (a village or her township); its
    attendance is then marked child by child."""
    activity = Activity(
        title=title.strip(),
        service_type=service_type,
        held_on=held_on,
        place=place.strip(),
        area=area,
        organiser=organiser,
        duration_minutes=duration_minutes,
        notes=notes.strip(),
        recorded_by=actor,
    )
    require(actor, Cap.MANAGE_ACTIVITY, activity)
    errors: dict[str, list[str]] = {}
    if not activity.title:
        errors["title"] = [_("Enter a title.")]
    if not activity.place:
        errors["place"] = [_("Enter where the activity takes place.")]
    if held_on > timezone.localdate():
        errors["held_on"] = [_("This date cannot be in the future.")]
    if not 1 <= duration_minutes <= MAX_DELIVERY_MINUTES:
        errors["duration_minutes"] = [_("Enter a duration between 1 and 1,440 minutes.")]
    if not service_type.active:
        errors["service_type"] = [_("This service is no longer offered.")]
    if not organiser.active:
        errors["organiser"] = [_("This organisation is no longer active.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    activity.save()
    audit_record(
        actor=actor,
        action=ServiceAction.ACTIVITY_CREATED,
        target=activity,
        area=area,
        extra={"service": service_type.code, "on": held_on.isoformat()},
    )
    return activity


def _check_attendee(actor: User, activity: Activity, child: Child) -> None:
    require(actor, Cap.MANAGE_ACTIVITY, activity)
    require(actor, Cap.MANAGE_ACTIVITY, child)
    if not child.village.path.startswith(activity.area.path):
        raise ValidationFailed(_("This child does not live in the activity's area."))


@transaction.atomic
def attendance_mark(*, actor: User, activity: Activity, child: Child) -> bool:
    """Mark the child present. Idempotent: a second tap changes nothing and writes no
    second audit event. Returns whether a mark was added."""
    _check_attendee(actor, activity, child)
    _attendance, created = Attendance.objects.get_or_create(
        activity=activity, child=child, defaults={"marked_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action=ServiceAction.ATTENDANCE_MARKED,
            target=child,
            area=child.village,
            extra={"activity": str(activity.public_id)},
        )
    return created


@transaction.atomic
def attendance_unmark(*, actor: User, activity: Activity, child: Child) -> bool:
    """Take the child off the attendance list (a mistaken tap). Idempotent as well."""
    _check_attendee(actor, activity, child)
    deleted, _rows = Attendance.objects.filter(activity=activity, child=child).delete()
    if deleted:
        audit_record(
            actor=actor,
            action=ServiceAction.ATTENDANCE_UNMARKED,
            target=child,
            area=child.village,
            extra={"activity": str(activity.public_id)},
        )
    return bool(deleted)
