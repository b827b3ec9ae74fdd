"""FUC services: what each step writes, what it audits, who may take it, and that a refused
step changes nothing."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from shouwang.audit.models import AuditEvent
from shouwang.core.errors import NotFound, PermissionDenied, ValidationFailed
from shouwang.fuc import services
from shouwang.fuc.domain import State
from shouwang.fuc.models import FucApplication, FucStep
from shouwang.fuc.tests.conftest import Apply, on
from shouwang.testing.world import World

D = dt.date
A = AuditEvent.Action


def _snapshot(application: FucApplication | None = None) -> tuple[object, ...]:
    """Everything a refused step must leave as it was."""
    row = None
    if application is not None:
        row = FucApplication.objects.values().get(pk=application.pk)
    return (
        FucApplication.objects.count(),
        FucStep.objects.count(),
        AuditEvent.objects.count(),
        row,
    )


# --- Apply ----------------------------------------------------------------------------


def test_the_child_director_records_an_application(world: World, apply: Apply) -> None:
    with on(D(2026, 1, 30)):  # a Friday
        application = apply()
    assert application.state == State.SUBMITTED
    assert (application.child, application.county) == (world.hongmei, world.county)
    assert (application.applied_by, application.applicant) == (world.alice, "guardian")
    assert application.township_due_on == D(2026, 2, 20)  # 15 working days
    assert application.county_due_on is None
    step = application.steps.get()
    assert (step.action, step.from_state, step.to_state, step.actor) == (
        "apply",
        "",
        "submitted",
        world.alice,
    )
    assert step.note == "Paper form received at the township."
    event = AuditEvent.objects.get(action=A.FUC_APPLIED)
    assert (event.actor, event.target_id, event.area) == (
        world.alice,
        str(world.hongmei.public_id),
        world.village_a1,
    )
    assert event.extra == {
        "application": str(application.public_id),
        "from": None,
        "to": "submitted",
        "note_given": True,
        "applicant": "guardian",
    }


def test_the_township_supervisor_may_apply_too(world: World, apply: Apply) -> None:
    assert apply(actor=world.sam).applied_by == world.sam


def test_a_second_open_application_is_refused_and_nothing_written(
    world: World, apply: Apply
) -> None:
    apply()
    before = _snapshot()
    with pytest.raises(ValidationFailed):
        apply(actor=world.sam)
    assert _snapshot() == before


def test_an_unknown_applicant_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed) as info:
        services.fuc_apply(actor=world.alice, child=world.hongmei, applicant="neighbour")
    assert "applicant" in info.value.field_errors
    assert _snapshot() == (0, 0, 0, None)


@pytest.mark.parametrize(
    ("persona", "error"),
    [("carl", PermissionDenied), ("tina", PermissionDenied), ("amy", NotFound), ("bob", NotFound)],
)
def test_who_may_not_apply(world: World, apply: Apply, persona: str, error: type) -> None:
    child = world.xiaoming if persona == "tina" else world.hongmei
    with pytest.raises(error):
        apply(child=child, actor=getattr(world, persona))
    assert _snapshot() == (0, 0, 0, None)


def test_the_database_itself_refuses_two_open_applications(world: World, apply: Apply) -> None:
    first = apply()
    with pytest.raises(IntegrityError), transaction.atomic():
        FucApplication.objects.create(
            child=world.hongmei,
            county=world.county,
            applicant="guardian",
            applied_by=world.alice,
            applied_at=timezone.now(),
            township_due_on=first.township_due_on,
        )


def test_a_rejection_without_reason_is_refused_by_the_database(world: World, apply: Apply) -> None:
    application = apply()
    with pytest.raises(IntegrityError), transaction.atomic():
        FucApplication.objects.filter(pk=application.pk).update(state="rejected")


# --- Verify and return ----------------------------------------------------------------


def test_the_township_verifies(world: World, apply: Apply) -> None:
    with on(D(2026, 1, 30)):
        application = apply()
    with on(D(2026, 2, 4)):  # a Wednesday
        services.fuc_verify(actor=world.sam, application=application, note="Matched.")
    application.refresh_from_db()
    assert application.state == State.VERIFIED
    assert (application.verified_by, application.verification_note) == (world.sam, "Matched.")
    assert application.county_due_on == D(2026, 2, 25)
    assert list(application.steps.values_list("action", "from_state", "to_state")) == [
        ("apply", "", "submitted"),
        ("verify", "submitted", "verified"),
    ]
    event = AuditEvent.objects.get(action=A.FUC_VERIFIED)
    assert event.extra["from"] == "submitted"
    assert event.extra["to"] == "verified"
    assert event.extra["county_due_on"] == "2026-02-25"
    assert "Matched." not in str(event.extra)


def test_the_township_returns_it_for_more_material_and_its_clock_restarts(
    world: World, apply: Apply
) -> None:
    with on(D(2026, 1, 30)):
        application = apply()
    with on(D(2026, 2, 10)):  # a Tuesday
        services.fuc_return(
            actor=world.sam, application=application, note="Police 查找无果 statement missing."
        )
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.township_due_on == D(2026, 3, 3)
    step = application.steps.last()
    assert (step.action, step.from_state, step.to_state) == ("return", "submitted", "submitted")
    assert step.note == "Police 查找无果 statement missing."
    assert AuditEvent.objects.filter(action=A.FUC_RETURNED).count() == 1
    services.fuc_verify(actor=world.sam, application=application, note="Statement received.")
    assert FucApplication.objects.get().state == State.VERIFIED


@pytest.mark.parametrize("step", [services.fuc_verify, services.fuc_return])
def test_verifying_or_returning_needs_a_note(world: World, apply: Apply, step: Callable) -> None:
    application = apply()
    before = _snapshot(application)
    with pytest.raises(ValidationFailed) as info:
        step(actor=world.sam, application=application, note="   ")
    assert "note" in info.value.field_errors
    assert _snapshot(application) == before


@pytest.mark.parametrize(
    ("persona", "error"),
    [("alice", PermissionDenied), ("carl", PermissionDenied), ("bob", NotFound)],
)
def test_only_the_township_verifies(world: World, apply: Apply, persona: str, error: type) -> None:
    application = apply()
    before = _snapshot(application)
    with pytest.raises(error):
        services.fuc_verify(actor=getattr(world, persona), application=application, note="x")
    assert _snapshot(application) == before


# --- Confirm and reject ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "starts"),
    [(D(2026, 1, 31), D(2026, 2, 1)), (D(2026, 12, 31), D(2027, 1, 1))],
)
def test_the_county_confirms_and_the_allowance_starts_next_month(
    world: World, verified: FucApplication, day: dt.date, starts: dt.date
) -> None:
    with on(day, hour=23):  # late evening, Beijing time: still that day
        services.fuc_confirm(actor=world.carl, application=verified, note="Qualifies.")
    verified.refresh_from_db()
    assert verified.state == State.CONFIRMED
    assert (verified.decided_by, verified.decision_reason) == (world.carl, "Qualifies.")
    assert verified.active_from == starts
    event = AuditEvent.objects.get(action=A.FUC_CONFIRMED)
    assert event.extra["active_from"] == starts.isoformat()
    assert (event.extra["from"], event.extra["to"]) == ("verified", "confirmed")


def test_the_county_rejects_with_written_reasons_not_copied_to_the_audit(
    world: World, verified: FucApplication
) -> None:
    reason = "父亲刑期不足6个月。"
    services.fuc_reject(actor=world.carl, application=verified, reason=reason)
    verified.refresh_from_db()
    assert verified.state == State.REJECTED
    assert verified.decision_reason == reason
    assert verified.steps.last().note == reason
    event = AuditEvent.objects.get(action=A.FUC_REJECTED)
    assert event.extra["note_given"] is True
    assert reason not in str(event.extra)
    assert "刑期" not in str(event.extra)


def test_a_rejection_without_reasons_is_refused(world: World, verified: FucApplication) -> None:
    before = _snapshot(verified)
    with pytest.raises(ValidationFailed) as info:
        services.fuc_reject(actor=world.carl, application=verified, reason=" \n ")
    assert "reason" in info.value.field_errors
    assert _snapshot(verified) == before


def test_a_confirmation_without_grounds_is_refused(world: World, verified: FucApplication) -> None:
    before = _snapshot(verified)
    with pytest.raises(ValidationFailed):
        services.fuc_confirm(actor=world.carl, application=verified, note="")
    assert _snapshot(verified) == before


@pytest.mark.parametrize(
    ("persona", "error"), [("alice", PermissionDenied), ("sam", PermissionDenied)]
)
def test_only_the_county_decides(
    world: World, verified: FucApplication, persona: str, error: type
) -> None:
    before = _snapshot(verified)
    for step in (services.fuc_confirm, services.fuc_reject):
        with pytest.raises(error):
            step(actor=getattr(world, persona), application=verified, **{_arg(step): "ok"})
    assert _snapshot(verified) == before


def _arg(step: Callable) -> str:
    return "reason" if step is services.fuc_reject else "note"


def test_the_county_cannot_skip_the_township(world: World, apply: Apply) -> None:
    application = apply()
    before = _snapshot(application)
    with pytest.raises(ValidationFailed):
        services.fuc_confirm(actor=world.carl, application=application, note="Qualifies.")
    assert _snapshot(application) == before


def test_a_stale_object_cannot_repeat_a_step(world: World, verified: FucApplication) -> None:
    stale = FucApplication.objects.get(pk=verified.pk)
    services.fuc_confirm(actor=world.carl, application=verified, note="Qualifies.")
    with pytest.raises(ValidationFailed):
        services.fuc_reject(actor=world.carl, application=stale, reason="Changed my mind.")
    assert FucApplication.objects.get().state == State.CONFIRMED


# --- Terminate ------------------------------------------------------------------------


def test_the_county_ends_the_allowance_from_the_month_after_the_change(
    world: World, confirmed: FucApplication
) -> None:
    with on(D(2027, 1, 5)):
        services.fuc_terminate(
            actor=world.carl,
            application=confirmed,
            reason="parent_situation_ended",
            text="Father released on 2026-12-31.",
            changed_on=D(2026, 12, 31),
        )
    confirmed.refresh_from_db()
    assert confirmed.state == State.TERMINATED
    assert confirmed.changed_on == D(2026, 12, 31)
    assert confirmed.terminated_from == D(2027, 1, 1)
    assert (confirmed.termination_reason, confirmed.terminated_by) == (
        "parent_situation_ended",
        world.carl,
    )
    event = AuditEvent.objects.get(action=A.FUC_TERMINATED)
    assert event.extra["reason"] == "parent_situation_ended"
    assert event.extra["terminated_from"] == "2027-01-01"
    assert "released" not in str(event.extra)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "other", "text": ""}, "text"),
        ({"reason": "bored"}, "reason"),
        ({"changed_on": D(2099, 1, 1)}, "changed_on"),
        ({"changed_on": None}, "changed_on"),
    ],
)
def test_bad_terminations_are_refused(
    world: World, confirmed: FucApplication, kwargs: dict[str, object], field: str
) -> None:
    before = _snapshot(confirmed)
    args = {"reason": "adopted", "text": "", "changed_on": timezone.localdate(), **kwargs}
    with pytest.raises(ValidationFailed) as info:
        services.fuc_terminate(actor=world.carl, application=confirmed, **args)  # type: ignore[arg-type]
    assert field in info.value.field_errors
    assert _snapshot(confirmed) == before


def test_the_township_cannot_end_the_allowance(world: World, confirmed: FucApplication) -> None:
    with pytest.raises(PermissionDenied):
        services.fuc_terminate(
            actor=world.sam,
            application=confirmed,
            reason="adopted",
            changed_on=timezone.localdate(),
        )


def test_only_a_confirmed_application_can_be_ended(world: World, verified: FucApplication) -> None:
    with pytest.raises(ValidationFailed):
        services.fuc_terminate(
            actor=world.carl, application=verified, reason="adopted", changed_on=D(2026, 1, 1)
        )


def test_after_a_rejection_or_an_end_a_new_application_may_be_made(
    world: World, apply: Apply, confirmed: FucApplication
) -> None:
    services.fuc_terminate(
        actor=world.carl, application=confirmed, reason="adopted", changed_on=timezone.localdate()
    )
    second = apply()
    services.fuc_verify(actor=world.sam, application=second, note="Matched.")
    services.fuc_reject(actor=world.carl, application=second, reason="Not both parents.")
    third = apply()
    assert third.state == State.SUBMITTED
    assert world.hongmei.fuc_applications.count() == 3


def test_the_whole_history_says_who_did_what_and_why(
    world: World, confirmed: FucApplication
) -> None:
    steps = list(confirmed.steps.select_related("actor"))
    assert [(s.action, s.actor.username) for s in steps] == [
        ("apply", "alice"),
        ("verify", "sam"),
        ("confirm", "carl"),
    ]
    assert all(s.note for s in steps)
    assert list(
        AuditEvent.objects.filter(action__startswith="fuc.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["fuc.applied", "fuc.verified", "fuc.confirmed"]


# --- Deadlines from settings ----------------------------------------------------------


@override_settings(
    SHOUWANG_FUC_TOWNSHIP_DAYS=10,
    SHOUWANG_FUC_COUNTY_DAYS=5,
    SHOUWANG_FUC_HOLIDAYS=["2026-02-02", dt.date(2026, 2, 3)],
)
def test_deadlines_come_from_settings(world: World, apply: Apply) -> None:
    deadlines = services.fuc_deadlines()
    assert (deadlines.township_days, deadlines.county_days) == (10, 5)
    assert not deadlines.unconfirmed
    with on(D(2026, 1, 30)):
        application = apply()
    assert application.township_due_on == D(2026, 2, 17)  # 10 working days, 2 holidays skipped
    with on(D(2026, 2, 16)):
        services.fuc_verify(actor=world.sam, application=application, note="Matched.")
    application.refresh_from_db()
    assert application.county_due_on == D(2026, 2, 23)


def test_the_default_deadlines_are_15_and_15_and_unconfirmed() -> None:
    deadlines = services.fuc_deadlines()
    assert (deadlines.township_days, deadlines.county_days) == (15, 15)
    assert deadlines.unconfirmed
