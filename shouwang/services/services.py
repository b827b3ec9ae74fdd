"""Writes of the services app. Each checks access, validates, writes, and records an audit
event in the same transaction (the caller's request is atomic)."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import require
from shouwang.accounts.models import Organisation, User
from shouwang.audit.services import SystemActor, audit_record
from shouwang.cases.models import PlanAction
from shouwang.core.errors import ValidationFailed
from shouwang.referrals.models import Referral
from shouwang.registry.models import Child
from shouwang.resources.models import Volunteer
from shouwang.services.audit_actions import ServiceAction
from shouwang.services.models import ServiceDelivery, ServiceNeed, ServiceType

MAX_DELIVERY_MINUTES = 24 * 60


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
) -> ServiceDelivery:
    """Record that a service reached a child (against the plan action it fulfils, and the
    referral it answers, if any)."""
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
