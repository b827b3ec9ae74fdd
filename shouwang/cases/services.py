"""Writes to follow-up records."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can_on, require
from shouwang.access.policies import holders as holders_of
from shouwang.accounts.models import Organisation, RoleAssignment, User
from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor, audit_record, audit_record_many
from shouwang.cases import domain
from shouwang.cases.audit_actions import CaseAction
from shouwang.cases.models import (
    CarePlan,
    Case,
    ContactLog,
    PlanAction,
    RiskLevel,
    Visit,
)
from shouwang.core.errors import ValidationFailed
from shouwang.registry.models import Child, ChildRelation, Person
from shouwang.rules.models import Classification
from shouwang.rules.services import child_classify


@transaction.atomic
def contact_log_record(
    *,
    actor: User,
    child: Child,
    parent: Person,
    contacted_on: dt.date,
    channel: str,
    with_child: bool,
    with_caregiver: bool,
    source: str,
    note: str = "",
) -> ContactLog:
    """Log that a parent was in touch with the child and/or the caregiver."""
    require(actor, Cap.LOG_CONTACT, child)
    errors: dict[str, list[str]] = {}
    if not ChildRelation.objects.filter(
        child=child, person=parent, relation__in=ChildRelation.PARENTS
    ).exists():
        errors["parent"] = [_("Please choose one of the child's parents.")]
    if contacted_on > timezone.localdate():
        errors["contacted_on"] = [_("This date cannot be in the future.")]
    if not (with_child or with_caregiver):
        errors["with_child"] = [
            _("Say whom the parent talked with: the child, the caregiver or both.")
        ]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    log = ContactLog.objects.create(
        child=child,
        parent=parent,
        contacted_on=contacted_on,
        channel=channel,
        with_child=with_child,
        with_caregiver=with_caregiver,
        source=source,
        note=note.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONTACT_LOGGED,
        target=child,
        area=child.village,
        extra={"contact": str(log.public_id), "on": contacted_on.isoformat()},
    )
    child_classify(actor=actor, child=child)  # the weekly-contact rule reads the log
    return log


# --- cases, plans and visits (the long-term mechanism) ------------------------------


class StaleVersion(ValidationFailed):
    """Someone else saved the record since this form was opened (optimistic locking)."""


def follow_up_days() -> dict[str, int]:
    return domain.parse_follow_up_days(getattr(settings, "SHOUWANG_FOLLOW_UP_DAYS", ""))


def _default_responsible(child: Child) -> User | None:
    """By default the village's child director (the first active one by user name)."""
    holders = [
        u
        for u in holders_of(Cap.MANAGE_CASE, child)
        if RoleAssignment.objects.filter(
            user=u, role=RoleAssignment.Role.CHILD_DIRECTOR, area=child.village, active=True
        ).exists()
    ]
    return holders[0] if holders else None


def _initial_risk(child: Child) -> tuple[str, str]:
    """Before any assessment: urgent when a rule raised a red alert, else medium."""
    red = Classification.objects.filter(
        child=child, ended_at__isnull=True, alert_level="red"
    ).exists()
    if red:
        return RiskLevel.URGENT, "red_alert"
    return RiskLevel.MEDIUM, "not_assessed"


@transaction.atomic
def case_open(*, actor: User | SystemActor, child: Child) -> Case:
    """Open the child's case (idempotent: returns the open one if there is one)."""
    existing = Case.objects.filter(child=child).exclude(status=Case.Status.CLOSED).first()
    if existing is not None:
        return existing
    if isinstance(actor, User):
        require(actor, Cap.MANAGE_CASE, child)
    today = timezone.localdate()
    risk, reason = _initial_risk(child)
    every = follow_up_days()[risk]
    case = Case.objects.create(
        child=child,
        responsible=_default_responsible(child),
        risk_level=risk,
        risk_rank=domain.risk_rank(risk),
        risk_reason=reason,
        follow_up_days=every,
        next_follow_up_due=domain.next_due(last=None, opened=today, every_days=every),
        opened_on=today,
    )
    audit_record(
        actor=actor,
        action=CaseAction.CASE_OPENED,
        target=child,
        area=child.village,
        extra={"case": str(case.public_id), "risk": risk},
    )
    return case


def _bump(model: type[Case] | type[CarePlan], pk: int, version: int, **changes: Any) -> None:
    """Optimistic locking: write only if nobody saved since ``version`` was read."""
    updated = model.objects.filter(pk=pk, version=version).update(
        version=version + 1, updated_at=timezone.now(), **changes
    )
    if updated != 1:
        raise StaleVersion(
            _(
                "Someone else saved this since you opened it. Nothing of yours was saved: "
                "reload the page to see their changes, then make yours again."
            )
        )


@transaction.atomic
def case_set_risk(
    *,
    actor: User | SystemActor,
    child: Child,
    risk_level: str,
    reason: str,
    source: object | None = None,
) -> Case:
    """Set the case's risk level (after an assessment or a visit); the follow-up rhythm and
    the next due date follow it."""
    if risk_level not in domain.RISK_LEVELS:
        raise ValidationFailed(_("Unknown risk level."), {"risk_level": [_("Unknown risk level.")]})
    case = case_open(actor=actor, child=child)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.risk_level == risk_level:
        return case
    every = follow_up_days()[risk_level]
    due = domain.next_due(last=case.last_follow_up_on, opened=case.opened_on, every_days=every)
    before = case.risk_level
    _bump(
        Case,
        case.pk,
        case.version,
        risk_level=risk_level,
        risk_rank=domain.risk_rank(risk_level),
        risk_reason=reason[:200],
        follow_up_days=every,
        next_follow_up_due=due,
    )
    audit_record(
        actor=actor,
        action=CaseAction.RISK_CHANGED,
        target=child,
        area=child.village,
        extra={
            "case": str(case.public_id),
            "from": before,
            "to": risk_level,
            "reason": reason[:50],
            "source": str(getattr(source, "public_id", "")) if source is not None else "",
        },
    )
    return Case.objects.get(pk=case.pk)


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: Case,
    version: int,
    responsible: User | None,
    status: str,
    close_reason: str = "",
    close_note: str = "",
) -> Case:
    require(actor, Cap.MANAGE_CASE, case.child)
    errors: dict[str, list[str]] = {}
    if status == Case.Status.CLOSED and not close_reason:
        errors["close_reason"] = [_("Please give the reason for closing the case.")]
    if close_reason == Case.CloseReason.OTHER and not close_note.strip():
        errors["close_note"] = [_("Please say why.")]
    if responsible is not None and not can_on(responsible, Cap.MANAGE_CASE, case.child):
        errors["responsible"] = [_("This person cannot work on this child's case.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    closing = status == Case.Status.CLOSED and case.status != Case.Status.CLOSED
    _bump(
        Case,
        case.pk,
        version,
        responsible=responsible,
        status=status,
        close_reason=close_reason if status == Case.Status.CLOSED else "",
        close_note=close_note.strip() if status == Case.Status.CLOSED else "",
        closed_on=timezone.localdate() if status == Case.Status.CLOSED else None,
    )
    audit_record(
        actor=actor,
        action=CaseAction.CASE_CLOSED if closing else CaseAction.CASE_UPDATED,
        target=case.child,
        area=case.child.village,
        extra={"case": str(case.public_id), "status": status, "close_reason": close_reason},
    )
    return Case.objects.get(pk=case.pk)


@dataclass
class ActionInput:
    domain: str
    description: str
    due_on: dt.date
    owner_organisation: Organisation | None = None
    owner_user: User | None = None


@transaction.atomic
def plan_save(
    *,
    actor: User,
    case: Case,
    goals: str,
    review_due_on: dt.date | None,
    actions: list[ActionInput],
    version: int | None = None,
) -> CarePlan:
    """Create the case's plan, or replace its goals and open actions (``version`` required
    for an existing plan). Plans of high- and urgent-risk children wait for approval."""
    require(actor, Cap.MANAGE_CASE, case.child)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not goals.strip():
        errors["goals"] = [_("Please write the plan's goals.")]
    if not actions:
        errors["actions"] = [_("A plan needs at least one action.")]
    for i, action in enumerate(actions):
        if action.owner_organisation is None and action.owner_user is None:
            errors.setdefault(f"actions.{i}", []).append(
                _("Every action needs an owner: an organisation or a person.")
            )
        if not action.description.strip():
            errors.setdefault(f"actions.{i}", []).append(_("Please say what will be done."))
        if action.due_on < today:
            errors.setdefault(f"actions.{i}", []).append(_("The due date has passed."))
    if review_due_on is not None and review_due_on < today:
        errors["review_due_on"] = [_("The review date has passed.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    status = (
        CarePlan.Status.AWAITING_APPROVAL
        if domain.needs_approval(case.risk_level)
        else CarePlan.Status.ACTIVE
    )
    review = review_due_on or today + dt.timedelta(days=domain.PLAN_REVIEW_DAYS)
    plan = CarePlan.objects.filter(case=case).exclude(status=CarePlan.Status.CLOSED).first()
    if plan is None:
        plan = CarePlan.objects.create(
            case=case, status=status, goals=goals.strip(), review_due_on=review
        )
    else:
        if version is None:
            raise StaleVersion(_("Please reload the plan before changing it."))
        _bump(CarePlan, plan.pk, version, status=status, goals=goals.strip(), review_due_on=review)
        plan.actions.filter(status=PlanAction.Status.OPEN).delete()
        plan.refresh_from_db()
    PlanAction.objects.bulk_create(
        PlanAction(
            plan=plan,
            domain=a.domain,
            description=a.description.strip(),
            owner_organisation=a.owner_organisation,
            owner_user=a.owner_user,
            due_on=a.due_on,
        )
        for a in actions
    )
    audit_record(
        actor=actor,
        action=CaseAction.PLAN_SAVED,
        target=case.child,
        area=case.child.village,
        extra={"plan": str(plan.public_id), "status": status, "actions": len(actions)},
    )
    return plan


@transaction.atomic
def plan_approve(*, actor: User, plan: CarePlan, version: int) -> CarePlan:
    require(actor, Cap.APPROVE_PLAN, plan.case.child)
    if plan.status != CarePlan.Status.AWAITING_APPROVAL:
        raise ValidationFailed(_("This plan is not waiting for approval."))
    _bump(
        CarePlan,
        plan.pk,
        version,
        status=CarePlan.Status.ACTIVE,
        approved_by=actor,
        approved_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=CaseAction.PLAN_APPROVED,
        target=plan.case.child,
        area=plan.case.child.village,
        extra={"plan": str(plan.public_id)},
    )
    return CarePlan.objects.get(pk=plan.pk)


@transaction.atomic
def plan_action_done(*, actor: User, action: PlanAction) -> PlanAction:
    child = action.plan.case.child
    require(actor, Cap.MANAGE_CASE, child)
    if action.status != PlanAction.Status.OPEN:
        raise ValidationFailed(_("This action is already closed."))
    action.status = PlanAction.Status.DONE
    action.done_on = timezone.localdate()
    action.save(update_fields=["status", "done_on"])
    audit_record(
        actor=actor,
        action=CaseAction.ACTION_DONE,
        target=child,
        area=child.village,
        extra={"action": action.pk},
    )
    return action


@dataclass
class Recorded:
    visit: Visit
    report_triggers: list[str] = field(default_factory=list)


@transaction.atomic
def visit_record(
    *,
    actor: User,
    child: Child,
    kind: str,
    visited_on: dt.date,
    saw_child: bool,
    saw_caregiver: bool,
    spoke_to_parent: bool,
    observations: dict[str, str],
    concerns: list[str],
    next_steps: str,
    risk_after: str = "",
) -> Recorded:
    """Record a visit: it counts as the case's follow-up, may change the risk level, and
    returns the mandatory-report triggers among its concerns for the page to prompt on."""
    require(actor, Cap.RECORD_VISIT, child)
    errors: dict[str, list[str]] = {}
    if visited_on > timezone.localdate():
        errors["visited_on"] = [_("The visit cannot be in the future.")]
    unknown = set(concerns) - set(Visit.Concern.values)
    if unknown:
        errors["concerns"] = [_("Unknown concern.")]
    if risk_after and risk_after not in domain.RISK_LEVELS:
        errors["risk_after"] = [_("Unknown risk level.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    case = case_open(actor=SystemActor("cases"), child=child)
    visit = Visit.objects.create(
        case=case,
        child=child,
        kind=kind,
        visited_on=visited_on,
        saw_child=saw_child,
        saw_caregiver=saw_caregiver,
        spoke_to_parent=spoke_to_parent,
        observations={k: v.strip() for k, v in observations.items() if v.strip()},
        concerns=sorted(concerns),
        next_steps=next_steps.strip(),
        risk_after=risk_after,
        recorded_by=actor,
    )
    locked = Case.objects.select_for_update().get(pk=case.pk)
    last = max(filter(None, [locked.last_follow_up_on, visited_on]))
    Case.objects.filter(pk=case.pk).update(
        last_follow_up_on=last,
        next_follow_up_due=domain.next_due(
            last=last, opened=locked.opened_on, every_days=locked.follow_up_days
        ),
        version=locked.version + 1,
    )
    audit_record(
        actor=actor,
        action=CaseAction.VISIT_RECORDED,
        target=child,
        area=child.village,
        extra={"visit": str(visit.public_id), "kind": kind, "concerns": visit.concerns},
    )
    if risk_after:
        case_set_risk(actor=actor, child=child, risk_level=risk_after, reason="visit", source=visit)
    return Recorded(visit=visit, report_triggers=domain.report_triggers(concerns))


@transaction.atomic
def cases_open_missing(*, children: Any | None = None) -> int:
    """Open a case for every child without an open one (after the demo or an import), in
    bulk: the same rules as ``case_open`` (the village's child director responsible;
    urgent after a red alert, else medium), one audit event per case."""
    actor = SystemActor("cases")
    qs = children if children is not None else Child.objects.all()
    missing = list(qs.exclude(cases__status__in=["open", "monitoring"]).select_related("village"))
    if not missing:
        return 0
    directors: dict[int, User] = {}
    for grant in (
        RoleAssignment.objects.filter(
            role=RoleAssignment.Role.CHILD_DIRECTOR, active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user__username")
    ):
        directors.setdefault(grant.area_id, grant.user)
    red = set(
        Classification.objects.filter(
            child__in=qs, ended_at__isnull=True, alert_level="red"
        ).values_list("child_id", flat=True)
    )
    days = follow_up_days()
    today = timezone.localdate()
    cases = []
    for child in missing:
        risk, reason = (
            (RiskLevel.URGENT, "red_alert")
            if child.pk in red
            else (RiskLevel.MEDIUM, "not_assessed")
        )
        cases.append(
            Case(
                child=child,
                responsible=directors.get(child.village_id),
                risk_level=risk,
                risk_rank=domain.risk_rank(risk),
                risk_reason=reason,
                follow_up_days=days[risk],
                next_follow_up_due=domain.next_due(last=None, opened=today, every_days=days[risk]),
                opened_on=today,
            )
        )
    Case.objects.bulk_create(cases, batch_size=2000)
    audit_record_many(
        actor=actor,
        action=CaseAction.CASE_OPENED,
        targets=[
            (case.child, case.child.village, {"case": str(case.public_id), "risk": case.risk_level})
            for case in cases
        ],
    )
    return len(cases)
