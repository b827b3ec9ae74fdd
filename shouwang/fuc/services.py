"""Writes to FUC applications: one service per action of ``fuc.domain.TRANSITIONS``.

Each is atomic; checks the actor's capability on the record (``access.policies.require``);
locks the application; applies the domain transition; saves only the fields the step
changes; writes a ``FucStep`` (who, when, why) and an audit event in the same transaction.
Bad input raises ``ValidationFailed`` with a translated message and writes nothing.

The audit event never carries the text of a note or of a rejection's reasons (they are
in the step history, shown only to those who may see the application): only that one
was given.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.policies import require
from shouwang.accounts.models import User
from shouwang.audit.models import AuditEvent
from shouwang.audit.services import audit_record
from shouwang.core.errors import ValidationFailed
from shouwang.fuc import domain
from shouwang.fuc.domain import Action, IllegalTransition, State
from shouwang.fuc.models import FucApplication, FucStep
from shouwang.registry.models import Child

AUDIT_ACTIONS = {
    Action.APPLY: AuditEvent.Action.FUC_APPLIED,
    Action.VERIFY: AuditEvent.Action.FUC_VERIFIED,
    Action.RETURN: AuditEvent.Action.FUC_RETURNED,
    Action.CONFIRM: AuditEvent.Action.FUC_CONFIRMED,
    Action.REJECT: AuditEvent.Action.FUC_REJECTED,
    Action.TERMINATE: AuditEvent.Action.FUC_TERMINATED,
}


def _dates(value: Iterable[dt.date | str]) -> frozenset[dt.date]:
    return frozenset(d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in value)


def fuc_deadlines() -> domain.Deadlines:
    """The step deadlines from settings (docs/fuc.md). Defaults 15 + 15 working days, [R]."""
    return domain.Deadlines(
        township_days=int(
            getattr(settings, "SHOUWANG_FUC_TOWNSHIP_DAYS", domain.DEFAULT_TOWNSHIP_DAYS)
        ),
        county_days=int(getattr(settings, "SHOUWANG_FUC_COUNTY_DAYS", domain.DEFAULT_COUNTY_DAYS)),
        holidays=_dates(getattr(settings, "SHOUWANG_FUC_HOLIDAYS", ())),
        makeup_workdays=_dates(getattr(settings, "SHOUWANG_FUC_MAKEUP_WORKDAYS", ())),
    )


def _transition(state: str | None, action: Action) -> State:
    try:
        return domain.next_state(state, action)
    except IllegalTransition:
        label = domain.STATE_LABELS[State(state)] if state else ""
        raise ValidationFailed(
            _("This step is not possible now. The application is: %(state)s.") % {"state": label}
        ) from None


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)


def _lock(application: FucApplication) -> FucApplication:
    return (
        FucApplication.objects.select_for_update(of=("self",))
        .select_related("child", "child__village")
        .get(pk=application.pk)
    )


def _record(
    *,
    actor: User,
    application: FucApplication,
    action: Action,
    from_state: str,
    note: str,
    at: dt.datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    FucStep.objects.create(
        application=application,
        action=action,
        from_state=from_state,
        to_state=application.state,
        actor=actor,
        at=at,
        note=note,
    )
    audit_record(
        actor=actor,
        action=AUDIT_ACTIONS[action],
        target=application.child,
        area=application.child.village,
        extra={
            "application": str(application.public_id),
            "from": from_state or None,
            "to": str(application.state),
            "note_given": bool(note),
            **(extra or {}),
        },
    )


def _sync(target: FucApplication, source: FucApplication, fields: list[str]) -> None:
    """Copy the saved fields back to the caller's object, so it reflects the new state."""
    for name in fields:
        setattr(target, name, getattr(source, name))


@transaction.atomic
def fuc_apply(*, actor: User, child: Child, applicant: str, note: str = "") -> FucApplication:
    """Record an application made at the township (DOMAIN.md §3.2 step 1)."""
    require(actor, domain.transition(None, Action.APPLY).capability, child)
    # Serialise applications for one child, so the "one open application" check holds.
    child = Child.objects.select_for_update(of=("self",)).select_related("village").get(pk=child.pk)
    _refuse(domain.check_applicant(applicant))
    if child.fuc_applications.exclude(state__in=list(domain.CLOSED_STATES)).exists():
        raise ValidationFailed(_("This child already has an open application."))
    state = _transition(None, Action.APPLY)
    now = timezone.now()
    today = timezone.localdate()
    note = note.strip()
    try:
        with transaction.atomic():
            application = FucApplication.objects.create(
                child=child,
                county_id=child.county_id,
                state=state,
                applicant=applicant,
                application_note=note,
                applied_by=actor,
                applied_at=now,
                township_due_on=fuc_deadlines().township_due(today),
            )
    except IntegrityError:  # a concurrent application won the race
        raise ValidationFailed(_("This child already has an open application.")) from None
    _record(
        actor=actor,
        application=application,
        action=Action.APPLY,
        from_state="",
        note=note,
        at=now,
        extra={"applicant": applicant},
    )
    return application


@transaction.atomic
def fuc_verify(*, actor: User, application: FucApplication, note: str) -> FucApplication:
    """The township has checked each parental situation (查验, step 2)."""
    require(actor, domain.transition(State.SUBMITTED, Action.VERIFY).capability, application)
    locked = _lock(application)
    from_state = locked.state
    state = _transition(from_state, Action.VERIFY)
    note = note.strip()
    _refuse(domain.check_note(Action.VERIFY, note))
    now = timezone.now()
    locked.state = state
    locked.verification_note = note
    locked.verified_by = actor
    locked.verified_at = now
    locked.county_due_on = fuc_deadlines().county_due(timezone.localdate())
    fields = ["state", "verification_note", "verified_by", "verified_at", "county_due_on"]
    locked.save(update_fields=[*fields, "updated_at"])
    _record(
        actor=actor,
        application=locked,
        action=Action.VERIFY,
        from_state=from_state,
        note=note,
        at=now,
        extra={"county_due_on": locked.county_due_on.isoformat()},
    )
    _sync(application, locked, fields)
    return locked


@transaction.atomic
def fuc_return(*, actor: User, application: FucApplication, note: str) -> FucApplication:
    """The township asks for more material; the application stays with the township.

    The township's clock starts again from the return (time spent supplying material does
    not count against the township; docs/fuc.md).
    """
    require(actor, domain.transition(State.SUBMITTED, Action.RETURN).capability, application)
    locked = _lock(application)
    from_state = locked.state
    state = _transition(from_state, Action.RETURN)
    note = note.strip()
    _refuse(domain.check_note(Action.RETURN, note))
    now = timezone.now()
    locked.state = state
    locked.township_due_on = fuc_deadlines().township_due(timezone.localdate())
    fields = ["state", "township_due_on"]
    locked.save(update_fields=[*fields, "updated_at"])
    _record(
        actor=actor,
        application=locked,
        action=Action.RETURN,
        from_state=from_state,
        note=note,
        at=now,
        extra={"township_due_on": locked.township_due_on.isoformat()},
    )
    _sync(application, locked, fields)
    return locked


@transaction.atomic
def fuc_confirm(*, actor: User, application: FucApplication, note: str) -> FucApplication:
    """The county confirms (确认, step 3); the allowance starts from the next month."""
    require(actor, domain.transition(State.VERIFIED, Action.CONFIRM).capability, application)
    locked = _lock(application)
    from_state = locked.state
    state = _transition(from_state, Action.CONFIRM)
    note = note.strip()
    _refuse(domain.check_note(Action.CONFIRM, note))
    now = timezone.now()
    locked.state = state
    locked.decided_by = actor
    locked.decided_at = now
    locked.decision_reason = note
    locked.active_from = domain.active_from(timezone.localdate())
    fields = ["state", "decided_by", "decided_at", "decision_reason", "active_from"]
    locked.save(update_fields=[*fields, "updated_at"])
    _record(
        actor=actor,
        application=locked,
        action=Action.CONFIRM,
        from_state=from_state,
        note=note,
        at=now,
        extra={"active_from": locked.active_from.isoformat()},
    )
    _sync(application, locked, fields)
    return locked


@transaction.atomic
def fuc_reject(*, actor: User, application: FucApplication, reason: str) -> FucApplication:
    """The county rejects, with the reasons in writing (step 3)."""
    require(actor, domain.transition(State.VERIFIED, Action.REJECT).capability, application)
    locked = _lock(application)
    from_state = locked.state
    state = _transition(from_state, Action.REJECT)
    reason = reason.strip()
    _refuse(domain.check_note(Action.REJECT, reason))
    now = timezone.now()
    locked.state = state
    locked.decided_by = actor
    locked.decided_at = now
    locked.decision_reason = reason
    fields = ["state", "decided_by", "decided_at", "decision_reason"]
    locked.save(update_fields=[*fields, "updated_at"])
    # The audit event says a reason was given ("note_given"), never what it says.
    _record(
        actor=actor,
        application=locked,
        action=Action.REJECT,
        from_state=from_state,
        note=reason,
        at=now,
    )
    _sync(application, locked, fields)
    return locked


@transaction.atomic
def fuc_terminate(
    *,
    actor: User,
    application: FucApplication,
    reason: str,
    text: str = "",
    changed_on: dt.date | None,
) -> FucApplication:
    """Eligibility ended: the allowance stops from the month after the change (step 4)."""
    require(actor, domain.transition(State.CONFIRMED, Action.TERMINATE).capability, application)
    locked = _lock(application)
    from_state = locked.state
    state = _transition(from_state, Action.TERMINATE)
    text = text.strip()
    _refuse(
        domain.check_termination(
            reason=reason, text=text, changed_on=changed_on, today=timezone.localdate()
        )
    )
    changed_on = cast(dt.date, changed_on)  # not None: refused above
    now = timezone.now()
    locked.state = state
    locked.changed_on = changed_on
    locked.terminated_from = domain.terminated_from(changed_on, active_from=locked.active_from)
    locked.termination_reason = reason
    locked.termination_text = text
    locked.terminated_by = actor
    locked.terminated_at = now
    fields = [
        "state",
        "changed_on",
        "terminated_from",
        "termination_reason",
        "termination_text",
        "terminated_by",
        "terminated_at",
    ]
    locked.save(update_fields=[*fields, "updated_at"])
    _record(
        actor=actor,
        application=locked,
        action=Action.TERMINATE,
        from_state=from_state,
        note=text,
        at=now,
        extra={
            "reason": reason,
            "changed_on": changed_on.isoformat(),
            "terminated_from": locked.terminated_from.isoformat(),
        },
    )
    _sync(application, locked, fields)
    return locked
