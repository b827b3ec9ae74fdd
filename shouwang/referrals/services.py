"""Writes to referrals: make, accept, decline, complete, withdraw.

Each is atomic, checks the actor (``access.policies.require``), applies the
``referrals.domain`` step, saves with optimistic locking (a conditional UPDATE on
``version``: a referral changed by someone else since the form was opened is refused, not
overwritten), writes the audit event and the notifications in the same transaction.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import grants, holders, require
from shouwang.access.roles import ROLE_SPECS
from shouwang.accounts.models import Organisation, RoleAssignment, User
from shouwang.audit.services import SystemActor, audit_record
from shouwang.cases.models import PlanAction
from shouwang.core.errors import ValidationFailed
from shouwang.notifications.services import notify
from shouwang.referrals import domain
from shouwang.referrals.domain import IllegalStepError, Step
from shouwang.referrals.models import Referral
from shouwang.referrals.vocabulary import Kind, ReferralAction
from shouwang.registry.models import Child
from shouwang.services.models import OrganisationService, ServiceType

MAX_NEED = 300
MAX_REASON = 300
MAX_OUTCOME = 500

STEP_ACTIONS = {
    Step.ACCEPT: ReferralAction.ACCEPTED,
    Step.DECLINE: ReferralAction.DECLINED,
    Step.COMPLETE: ReferralAction.COMPLETED,
    Step.WITHDRAW: ReferralAction.WITHDRAWN,
}


def response_hours() -> int:
    """Hours the receiving organisation has to answer (our design choice, not law)."""
    return int(getattr(settings, "SHOUWANG_REFERRAL_RESPONSE_HOURS", domain.DEFAULT_RESPONSE_HOURS))


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)


def offers_covering(child: Child) -> Any:
    """The active offers whose service area covers the child's village."""
    path = child.village.path
    return OrganisationService.objects.filter(
        active=True, organisation__active=True, service_type__active=True
    ).filter(area__path__in=_ancestor_paths(path))


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def _maker_organisation(actor: User) -> Organisation | None:
    """The maker's organisation, if one of her grants names one (a school liaison's school)."""
    for grant in grants(actor):
        if grant.organisation_id and Cap.MAKE_REFERRAL in ROLE_SPECS[grant.role].capabilities:
            return grant.organisation
    return None


def _payload(referral: Referral, **extra: Any) -> dict[str, Any]:
    due = timezone.localtime(referral.respond_by).strftime("%Y-%m-%d %H:%M")
    return {"referral": str(referral.public_id), "due": due, **extra}


@transaction.atomic
def referral_create(
    *,
    actor: User,
    child: Child,
    to_organisation: Organisation | None,
    service_type: ServiceType | None,
    need: str,
    plan_action: PlanAction | None = None,
) -> Referral:
    """Refer a child's need to an organisation that offers the service where she lives."""
    require(actor, Cap.MAKE_REFERRAL, child)
    errors: dict[str, list[str]] = {}
    need = need.strip()
    if not need:
        errors["need"] = [_("Say what the child needs.")]
    elif len(need) > MAX_NEED:
        errors["need"] = [_("Keep it under %(n)s characters.") % {"n": MAX_NEED}]
    if service_type is None or not service_type.active:
        errors["service_type"] = [_("Choose a service that is offered.")]
    if to_organisation is None or not to_organisation.active:
        errors["to_organisation"] = [_("Choose an active organisation.")]
    elif (
        service_type is not None
        and not offers_covering(child)
        .filter(organisation=to_organisation, service_type=service_type)
        .exists()
    ):
        errors["to_organisation"] = [
            _("%(org)s does not offer %(service)s in %(village)s.")
            % {
                "org": to_organisation,
                "service": service_type,
                "village": child.village.display_name,
            }
        ]
    if plan_action is not None and plan_action.plan.case.child_id != child.pk:
        errors["plan_action"] = [_("This plan action belongs to another child.")]
    _refuse(errors)
    assert to_organisation is not None and service_type is not None  # noqa: S101  (checked)
    if Referral.objects.filter(
        child=child,
        to_organisation=to_organisation,
        service_type=service_type,
        status__in=list(domain.OPEN),
    ).exists():
        raise ValidationFailed(
            _("This child already has an open referral for this service to this organisation.")
        )
    now = timezone.now()
    referral = Referral.objects.create(
        child=child,
        service_type=service_type,
        need=need,
        plan_action=plan_action,
        from_organisation=_maker_organisation(actor),
        to_organisation=to_organisation,
        respond_by=now + dt.timedelta(hours=response_hours()),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=ReferralAction.CREATED,
        target=referral,
        area=child.village,
        extra={
            "child": str(child.public_id),
            "to": str(to_organisation.public_id),
            "service": service_type.code,
        },
    )
    told = list(holders(Cap.RESPOND_REFERRAL, referral))
    if told:
        notify(recipients=told, kind=Kind.ARRIVED, payload=_payload(referral), now=now)
    return referral


def _step(
    *,
    actor: User,
    referral: Referral,
    step: Step,
    cap: Cap,
    version: int | None,
    changes: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> Referral:
    require(actor, cap, referral)
    try:
        status = domain.next_status(referral.status, step)
    except IllegalStepError:
        raise ValidationFailed(
            _("This step is not possible now. The referral is: %(status)s.")
            % {"status": referral.get_status_display()}
        ) from None
    updated = Referral.objects.filter(
        pk=referral.pk,
        status=referral.status,
        version=referral.version if version is None else version,
    ).update(status=status, version=F("version") + 1, **changes)
    if not updated:
        raise ValidationFailed(
            _("Someone else changed this referral since you opened it. Reload to see it.")
        )
    referral.refresh_from_db()
    audit_record(
        actor=actor,
        action=STEP_ACTIONS[step],
        target=referral,
        area=referral.child.village,
        extra={"child": str(referral.child.public_id), "to": status, **(extra or {})},
    )
    if step != Step.WITHDRAW and referral.created_by.is_active:
        notify(
            recipients=[referral.created_by],
            kind=Kind.ANSWERED,
            payload=_payload(referral, status=status),
        )
    return referral


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral, version: int | None = None) -> Referral:
    """The receiving organisation takes the referral on: from now on its provider sees the
    child's name and the caregiver's phone, and records deliveries."""
    now = timezone.now()
    return _step(
        actor=actor,
        referral=referral,
        step=Step.ACCEPT,
        cap=Cap.RESPOND_REFERRAL,
        version=version,
        changes={"responded_by": actor, "responded_at": now},
    )


@transaction.atomic
def referral_decline(
    *, actor: User, referral: Referral, reason: str, version: int | None = None
) -> Referral:
    reason = reason.strip()
    if not reason:
        _refuse({"reason": [_("Say why you decline, so the sender can refer elsewhere.")]})
    if len(reason) > MAX_REASON:
        _refuse({"reason": [_("Keep it under %(n)s characters.") % {"n": MAX_REASON}]})
    now = timezone.now()
    return _step(
        actor=actor,
        referral=referral,
        step=Step.DECLINE,
        cap=Cap.RESPOND_REFERRAL,
        version=version,
        changes={
            "responded_by": actor,
            "responded_at": now,
            "closed_at": now,
            "decline_reason": reason,
        },
    )


@transaction.atomic
def referral_complete(
    *, actor: User, referral: Referral, outcome: str, version: int | None = None
) -> Referral:
    """Close an accepted referral with its outcome. At least one delivery must have been
    recorded against it (``services.record_delivery(referral=...)``)."""
    outcome = outcome.strip()
    if not outcome:
        _refuse({"outcome": [_("Say what the service achieved.")]})
    if len(outcome) > MAX_OUTCOME:
        _refuse({"outcome": [_("Keep it under %(n)s characters.") % {"n": MAX_OUTCOME}]})
    require(actor, Cap.RESPOND_REFERRAL, referral)
    if referral.status == Referral.Status.ACCEPTED and not referral.deliveries.exists():
        raise ValidationFailed(_("Record at least one delivery before completing the referral."))
    return _step(
        actor=actor,
        referral=referral,
        step=Step.COMPLETE,
        cap=Cap.RESPOND_REFERRAL,
        version=version,
        changes={"closed_at": timezone.now(), "outcome": outcome},
        extra={"deliveries": referral.deliveries.count()},
    )


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, version: int | None = None) -> Referral:
    """The sending side takes a pending or accepted referral back."""
    return _step(
        actor=actor,
        referral=referral,
        step=Step.WITHDRAW,
        cap=Cap.MAKE_REFERRAL,
        version=version,
        changes={"closed_at": timezone.now()},
    )


@transaction.atomic
def referral_record_view(*, actor: User, referral: Referral) -> None:
    """The receiving organisation opened a referral that names the child (PIPL Art. 28: a
    minor's data is sensitive, and reads are audited like writes)."""
    audit_record(
        actor=actor,
        action=ReferralAction.VIEWED,
        target=referral,
        area=referral.child.village,
        extra={"child": str(referral.child.public_id)},
    )


# --- The worker's pass: overdue referrals ---------------------------------------------

OVERDUE_ACTOR = SystemActor("referral deadline worker")


def _overdue_recipients(referral: Referral) -> list[User]:
    """The receiving organisation's providers, the maker, and the child's township
    supervisor(s)."""
    providers = holders(Cap.RESPOND_REFERRAL, referral)
    supervisor_ids = RoleAssignment.objects.filter(
        role=RoleAssignment.Role.TOWNSHIP_SUPERVISOR, active=True
    ).values("user_id")
    supervisors = holders(Cap.VIEW_TOWN_BOARD, referral).filter(pk__in=supervisor_ids)
    people = {u.pk: u for u in [*providers, *supervisors]}
    if referral.created_by.is_active:
        people.setdefault(referral.created_by_id, referral.created_by)
    return sorted(people.values(), key=lambda u: u.get_username())


@transaction.atomic
def _flag_one(pk: int, now: dt.datetime) -> bool:
    claimed = Referral.objects.filter(
        pk=pk,
        status=Referral.Status.PENDING,
        respond_by__lte=now,
        overdue_notified_at__isnull=True,
    ).update(overdue_notified_at=now)
    if claimed != 1:
        return False  # answered meanwhile, or another worker told them
    referral = Referral.objects.select_related("child__village", "created_by").get(pk=pk)
    told = _overdue_recipients(referral)
    audit_record(
        actor=OVERDUE_ACTOR,
        action=ReferralAction.OVERDUE,
        target=referral,
        area=referral.child.village,
        extra={"child": str(referral.child.public_id), "told": [u.get_username() for u in told]},
    )
    if told:
        notify(recipients=told, kind=Kind.OVERDUE, payload=_payload(referral), now=now)
    return True


def referrals_flag_overdue(now: dt.datetime | None = None, *, limit: int = 500) -> dict[str, int]:
    """The worker's pass (part of ``shouwang worker``): tell both sides and the township
    supervisor, once, about each pending referral past its deadline. Each referral is
    claimed with a conditional UPDATE, so two workers never tell anyone twice."""
    now = now or timezone.now()
    due = list(
        Referral.objects.filter(
            status=Referral.Status.PENDING,
            respond_by__lte=now,
            overdue_notified_at__isnull=True,
        )
        .order_by("respond_by", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"told": 0, "skipped": 0}
    for pk in due:
        counts["told" if _flag_one(pk, now) else "skipped"] += 1
    return counts
