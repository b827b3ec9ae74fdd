"""Writes to mandatory reports: filing, the police task, escalation, acknowledgement,
response and closing.

Each is atomic, checks the actor (``access.policies.require``; filing needs no capability,
any signed-in user may file, but a known child must be in her reach), locks the report,
applies the ``safeguarding.domain`` transition, writes a ``ReportStep``, an audit event and
the notifications (the outbox) **in the same transaction**: a report is never filed without
its police task, its history and its messages.

Escalation (``escalate_due``) is the worker's pass. It claims each due report with a
conditional UPDATE (``state=filed, escalation_level=n, next_escalation_at<=now``) and acts
only when exactly one row changed, so two workers never escalate the same level twice; the
step, the audit event and the notifications are written in the claim's transaction, so a
worker killed between claim and notify leaves nothing claimed, and the next pass escalates
it. A unique constraint on (report, escalation level) makes a double escalation impossible
even for a buggy caller.
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can_on, grants, holders, require, roles_with
from shouwang.accounts.models import RoleAssignment, User
from shouwang.audit.services import SystemActor, audit_record
from shouwang.core.errors import NotFound, PermissionDenied, ValidationFailed
from shouwang.geo.models import Area
from shouwang.notifications.services import notify
from shouwang.registry.models import Child
from shouwang.safeguarding import domain
from shouwang.safeguarding.domain import Action, IllegalTransition, State
from shouwang.safeguarding.models import PoliceTask, Report, ReportStep
from shouwang.safeguarding.vocabulary import Kind, SafeguardingAction

log = logging.getLogger(__name__)

ESCALATION_ACTOR = SystemActor("escalation worker")

AUDIT_ACTIONS = {
    Action.FILE: SafeguardingAction.REPORT_FILED,
    Action.ESCALATE: SafeguardingAction.REPORT_ESCALATED,
    Action.POLICE_REPORTED: SafeguardingAction.POLICE_REPORT_RECORDED,
    Action.ACKNOWLEDGE: SafeguardingAction.REPORT_ACKNOWLEDGED,
    Action.RESPOND: SafeguardingAction.REPORT_RESPONDED,
    Action.CLOSE: SafeguardingAction.REPORT_CLOSED,
}


def windows() -> domain.Windows:
    """The acknowledgement windows from settings (our design choice, not law)."""
    return domain.Windows(
        danger_hours=int(
            getattr(settings, "SHOUWANG_REPORT_ACK_HOURS_DANGER", domain.DEFAULT_DANGER_HOURS)
        ),
        other_hours=int(getattr(settings, "SHOUWANG_REPORT_ACK_HOURS", domain.DEFAULT_OTHER_HOURS)),
    )


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)


def _transition(state: str | None, action: Action) -> State:
    try:
        return domain.next_state(state, action)
    except IllegalTransition:
        label = domain.STATE_LABELS[State(state)] if state else ""
        raise ValidationFailed(
            _("This step is not possible now. The report is: %(state)s.") % {"state": label}
        ) from None


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("area").get(pk=report.pk)


def _sync(target: Report, source: Report, fields: Iterable[str]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


def _record(
    *,
    actor: User | SystemActor,
    report: Report,
    action: Action,
    from_state: str,
    at: dt.datetime,
    note: str = "",
    notified: Iterable[User] = (),
    extra: dict[str, Any] | None = None,
) -> ReportStep:
    user = actor if isinstance(actor, User) else None
    step = ReportStep.objects.create(
        report=report,
        action=action,
        from_state=from_state,
        to_state=report.state,
        actor=user,
        actor_label=user.get_username() if user else str(actor),
        at=at,
        level=report.escalation_level,
        notified=sorted({u.get_username() for u in notified}),
        note=note,
    )
    audit_record(
        actor=actor,
        action=AUDIT_ACTIONS[action],
        target=report,
        area=report.area,
        extra={
            "child": str(report.child.public_id) if report.child_id else None,
            "from": from_state or None,
            "to": str(report.state),
            "level": report.escalation_level,
            "note_given": bool(note),
            **(extra or {}),
        },
    )
    return step


def _payload(report: Report, **extra: Any) -> dict[str, Any]:
    return {
        "report": str(report.public_id),
        "area_zh": report.area.name_zh,
        "area_en": report.area.name_en or report.area.name_zh,
        "trigger": report.trigger,
        "danger": report.immediate_danger,
        "deadline": report.next_escalation_at.isoformat() if report.next_escalation_at else None,
        **extra,
    }


def _reporter_role(actor: User) -> str:
    labels = sorted(
        {f"{g.get_role_display()} · {g.area.display_name}" for g in grants(actor) if g.area_id}
    )
    return "; ".join(labels)[:200]


# --- Filing ---------------------------------------------------------------------------


@transaction.atomic
def report_file(
    *,
    actor: User,
    trigger: str,
    immediate_danger: bool,
    what_seen: str,
    duty_basis: str,
    child: Child | None = None,
    child_description: str = "",
    place: str = "",
    area: Area | None = None,
) -> Report:
    """File a mandatory report (any signed-in user). Creates the reporter's police task,
    starts the escalation clock and tells those who may see it."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied("only a signed-in user may file a report")
    errors: dict[str, list[str]] = {}
    if trigger not in domain.TRIGGER_LABELS:
        errors["trigger"] = [_("Choose the kind of concern.")]
    if duty_basis not in domain.DUTY_BASIS_LABELS:
        errors["duty_basis"] = [_("Choose why you report.")]
    what_seen = what_seen.strip()
    if not what_seen:
        errors["what_seen"] = [_("Say what you saw or heard.")]
    child_description = child_description.strip()
    place = place.strip()
    if child is not None:
        # A known child must be one the reporter can see (her village, her school…).
        if not can_on(actor, Cap.VIEW_CHILD, child):
            raise NotFound(_("Child not found."))
        area = child.village
    else:
        if not child_description:
            errors["child_description"] = [
                _("Describe the child, or choose a child from the list.")
            ]
        if area is None:
            errors["area"] = [_("Choose the village where the child was found.")]
        if not place:
            errors["place"] = [_("Say where the child was found.")]
    _refuse(errors)
    assert area is not None  # noqa: S101  (checked above)

    now = timezone.now()
    state = _transition(None, Action.FILE)
    report = Report.objects.create(
        child=child,
        child_description=child_description,
        place=place,
        area=area,
        trigger=trigger,
        immediate_danger=immediate_danger,
        what_seen=what_seen,
        duty_basis=duty_basis,
        reporter=actor,
        reporter_role=_reporter_role(actor),
        filed_at=now,
        state=state,
        escalation_level=0,
        next_escalation_at=windows().deadline(now, immediate_danger=immediate_danger),
    )
    PoliceTask.objects.create(report=report, assignee=actor, created_at=now)
    told = [u for u in holders(Cap.VIEW_REPORT, report) if u.pk != actor.pk]
    _record(
        actor=actor,
        report=report,
        action=Action.FILE,
        from_state="",
        at=now,
        notified=told,
        extra={"trigger": trigger, "immediate_danger": immediate_danger},
    )
    notify(recipients=told, kind=Kind.FILED, payload=_payload(report), now=now)
    notify(recipients=[actor], kind=Kind.POLICE_TASK, payload=_payload(report), now=now)
    return report


# --- The police task ------------------------------------------------------------------


@transaction.atomic
def police_task_record(
    *,
    actor: User,
    report: Report,
    police_station: str,
    reported_at: dt.datetime,
    receipt_no: str = "",
) -> PoliceTask:
    """The reporter records that she reported to the police. Only she can; it can be
    corrected (a receipt number given later) but never dismissed."""
    task = PoliceTask.objects.select_for_update().get(report=report)
    if task.assignee_id != actor.pk:
        raise PermissionDenied("only the reporter records her report to the police")
    errors: dict[str, list[str]] = {}
    police_station = police_station.strip()
    if not police_station:
        errors["police_station"] = [_("Name the police station.")]
    now = timezone.now()
    if reported_at > now + dt.timedelta(minutes=5):
        errors["reported_at"] = [_("The time reported cannot be in the future.")]
    elif reported_at < report.filed_at - dt.timedelta(days=2):
        errors["reported_at"] = [_("The time reported is long before the report was filed.")]
    _refuse(errors)
    task.police_station = police_station
    task.reported_at = reported_at
    task.receipt_no = receipt_no.strip()
    first = task.completed_at is None
    task.completed_at = now
    task.save(update_fields=["police_station", "reported_at", "receipt_no", "completed_at"])
    report = _lock(report)
    _record(
        actor=actor,
        report=report,
        action=Action.POLICE_REPORTED,
        from_state=report.state,
        at=now,
        extra={"first": first, "receipt_given": bool(task.receipt_no)},
    )
    return task


# --- Escalation -----------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def escalation_ladder(report: Report) -> list[tuple[Area, list[User]]]:
    """The rungs of escalation, bottom up: each area from the report's own up to the root
    that has someone who may acknowledge it there (``holders``), with those people."""
    acknowledgers = holders(Cap.ACKNOWLEDGE_REPORT, report)
    assignments = (
        RoleAssignment.objects.filter(
            user__in=acknowledgers,
            role__in=roles_with(Cap.ACKNOWLEDGE_REPORT),
            active=True,
            area__path__in=_ancestor_paths(report.area.path),
        )
        .select_related("user", "area")
        .order_by("user__username")
    )
    by_area: dict[int, tuple[Area, list[User]]] = {}
    for a in assignments:
        by_area.setdefault(a.area_id, (a.area, []))[1].append(a.user)
    return sorted(by_area.values(), key=lambda rung: -len(rung[0].path))


def _administrators() -> list[User]:
    ids = RoleAssignment.objects.filter(
        role__in=roles_with(Cap.VIEW_NOTIFICATION_FAILURES), active=True
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _notify_escalation(report: Report, now: dt.datetime) -> list[User]:
    """Tell the rung(s) of the report's new level. In the claim's transaction."""
    ladder = escalation_ladder(report)
    recipients: dict[int, User] = {}
    for index in domain.rung_for_level(report.escalation_level, len(ladder)):
        for user in ladder[index][1]:
            recipients[user.pk] = user
    told = list(recipients.values())
    if told:
        notify(
            recipients=told,
            kind=Kind.ESCALATED,
            payload=_payload(report, level=report.escalation_level),
            now=now,
        )
    else:
        told = _administrators()
        notify(recipients=told, kind=Kind.UNROUTED, payload=_payload(report), now=now)
    return told


def escalate_one(pk: int, level: int, now: dt.datetime) -> bool:
    """Escalate report ``pk`` from ``level`` if it is still due and still at that level.

    True only for the caller whose conditional UPDATE changed the row.
    """
    with transaction.atomic():
        report = Report.objects.filter(pk=pk).only("immediate_danger").first()
        if report is None:
            return False
        next_at = windows().deadline(now, immediate_danger=report.immediate_danger)
        changed = Report.objects.filter(
            pk=pk,
            state=State.FILED,
            escalation_level=level,
            next_escalation_at__lte=now,
        ).update(escalation_level=level + 1, next_escalation_at=next_at)
        if changed != 1:
            return False
        report = Report.objects.select_related("area", "child").get(pk=pk)
        told = _notify_escalation(report, now)
        _record(
            actor=ESCALATION_ACTOR,
            report=report,
            action=Action.ESCALATE,
            from_state=State.FILED,
            at=now,
            notified=told,
        )
        return True


def escalate_due(
    now: dt.datetime | None = None,
    *,
    limit: int = 500,
    after_scan: Callable[[], None] | None = None,
) -> dict[str, int]:
    """The worker's escalation pass (``shouwang escalate``; part of ``shouwang worker``).

    Reads the due reports, then claims each. ``after_scan`` is a test hook run between
    the two, where a second worker could slip in. A report that fails to escalate is
    logged and left due: the next pass tries it again.
    """
    now = now or timezone.now()
    due = list(
        Report.objects.filter(state=State.FILED, next_escalation_at__lte=now)
        .order_by("next_escalation_at", "pk")
        .values_list("pk", "escalation_level")[:limit]
    )
    if after_scan:
        after_scan()
    counts = {"escalated": 0, "skipped": 0, "errors": 0}
    for pk, level in due:
        try:
            done = escalate_one(pk, level, now)
        except Exception:
            log.exception("escalating report %s failed; it stays due", pk)
            counts["errors"] += 1
            continue
        counts["escalated" if done else "skipped"] += 1
    return counts


# --- Acknowledge, respond, close --------------------------------------------------------


@transaction.atomic
def report_acknowledge(*, actor: User, report: Report, note: str = "") -> Report:
    """Someone with authority takes the report on: escalation stops."""
    require(actor, Cap.ACKNOWLEDGE_REPORT, report)
    locked = _lock(report)
    from_state = locked.state
    locked.state = _transition(from_state, Action.ACKNOWLEDGE)
    now = timezone.now()
    locked.acknowledged_by = actor
    locked.acknowledged_at = now
    locked.next_escalation_at = None
    fields = ["state", "acknowledged_by", "acknowledged_at", "next_escalation_at", "updated_at"]
    locked.save(update_fields=fields)
    _record(
        actor=actor,
        report=locked,
        action=Action.ACKNOWLEDGE,
        from_state=from_state,
        at=now,
        note=note.strip(),
    )
    if locked.reporter_id != actor.pk:
        notify(
            recipients=[locked.reporter],
            kind=Kind.UPDATE,
            payload=_payload(locked, what="acknowledged"),
            now=now,
        )
    _sync(report, locked, fields)
    return report


RESPONSE_FIELDS = [
    "attended_by",
    "measures",
    "measures_note",
    "safety_assessment",
    "guardianship_assessment",
    "health_assessment",
    "assistance",
    "follow_up_plan",
    "intervention_flags",
    "refused_duties_since",
]


@transaction.atomic
def report_respond(
    *,
    actor: User,
    report: Report,
    attended_by: str,
    safety_assessment: str,
    guardianship_assessment: str,
    health_assessment: str,
    measures: Iterable[str] = (),
    measures_note: str = "",
    assistance: Iterable[str] = (),
    follow_up_plan: str = "",
    intervention_flags: Iterable[str] = (),
    refused_duties_since: dt.date | None = None,
) -> Report:
    """Record (or update) the response and the three-domain assessment (13号 应急处置 and
    评估帮扶: safety, guardianship, physical and mental health)."""
    require(actor, Cap.RESPOND_REPORT, report)
    locked = _lock(report)
    from_state = locked.state
    to_state = _transition(from_state, Action.RESPOND)
    measures, assistance, flags = list(measures), list(assistance), list(intervention_flags)
    errors: dict[str, list[str]] = {}
    required = {
        "attended_by": attended_by,
        "safety_assessment": safety_assessment,
        "guardianship_assessment": guardianship_assessment,
        "health_assessment": health_assessment,
    }
    for name, value in required.items():
        if not value.strip():
            errors[name] = [_("This field is required.")]
    if set(measures) - set(domain.MEASURE_LABELS):
        errors["measures"] = [_("Unknown measure.")]
    if set(assistance) - set(domain.ASSISTANCE_LABELS):
        errors["assistance"] = [_("Unknown kind of assistance.")]
    if set(flags) - set(domain.INTERVENTION_LABELS):
        errors["intervention_flags"] = [_("Unknown flag.")]
    today = timezone.localdate()
    if domain.InterventionFlag.REFUSED_DUTIES in flags and refused_duties_since is None:
        errors["refused_duties_since"] = [_("Give the date the guardian stopped their duties.")]
    if refused_duties_since and refused_duties_since > today:
        errors["refused_duties_since"] = [_("This date cannot be in the future.")]
    _refuse(errors)
    now = timezone.now()
    locked.state = to_state
    locked.attended_by = attended_by.strip()
    locked.measures = measures
    locked.measures_note = measures_note.strip()
    locked.safety_assessment = safety_assessment.strip()
    locked.guardianship_assessment = guardianship_assessment.strip()
    locked.health_assessment = health_assessment.strip()
    locked.assistance = assistance
    locked.follow_up_plan = follow_up_plan.strip()
    locked.intervention_flags = flags
    locked.refused_duties_since = (
        refused_duties_since if domain.InterventionFlag.REFUSED_DUTIES in flags else None
    )
    locked.responded_by = actor
    locked.responded_at = now
    fields = [*RESPONSE_FIELDS, "state", "responded_by", "responded_at", "updated_at"]
    locked.save(update_fields=fields)
    suggestion = domain.court_suggestion(flags, locked.refused_duties_since, today)
    _record(
        actor=actor,
        report=locked,
        action=Action.RESPOND,
        from_state=from_state,
        at=now,
        extra={
            "measures": measures,
            "assistance": assistance,
            "intervention_flags": flags,
            "court_application_suggested": suggestion is not None,
        },
    )
    _sync(report, locked, fields)
    return report


@transaction.atomic
def report_close(*, actor: User, report: Report, reason: str) -> Report:
    """Close the report with a reason. It stays in the child's history."""
    require(actor, Cap.CLOSE_REPORT, report)
    locked = _lock(report)
    from_state = locked.state
    to_state = _transition(from_state, Action.CLOSE)
    reason = reason.strip()
    _refuse({"reason": [_("Give the reason for closing.")]} if not reason else {})
    now = timezone.now()
    locked.state = to_state
    locked.closed_by = actor
    locked.closed_at = now
    locked.close_reason = reason
    fields = ["state", "closed_by", "closed_at", "close_reason", "updated_at"]
    locked.save(update_fields=fields)
    _record(actor=actor, report=locked, action=Action.CLOSE, from_state=from_state, at=now)
    if locked.reporter_id != actor.pk:
        notify(
            recipients=[locked.reporter],
            kind=Kind.UPDATE,
            payload=_payload(locked, what="closed"),
            now=now,
        )
    _sync(report, locked, fields)
    return report
