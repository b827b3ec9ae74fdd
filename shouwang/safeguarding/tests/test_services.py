"""Filing, the police task, escalation with its deadlines and its claim, and the human steps.

The clock is fixed (time-machine, tick=False). Xiaoming (village A2) is the pupil of tina's
school: she files. Amy is A2's child director; sam the S-town supervisor; carl the county
officer.
"""

import datetime as dt

import pytest
from django.core import mail

from shouwang.accounts.models import RoleAssignment
from shouwang.audit.models import AuditEvent
from shouwang.core.errors import NotFound, PermissionDenied, ValidationFailed
from shouwang.notifications.models import Notification
from shouwang.notifications.services import deliver_due
from shouwang.safeguarding import services
from shouwang.safeguarding.domain import Action, State, Trigger
from shouwang.safeguarding.models import PoliceTask, Report, ReportStep
from shouwang.safeguarding.tests.conftest import T0, File, at
from shouwang.safeguarding.vocabulary import Kind
from shouwang.testing.factories import RoleAssignmentFactory, make_area
from shouwang.testing.world import World

H = dt.timedelta(hours=1)
S = dt.timedelta(seconds=1)


def _told(kind: str, channel: str = "in_app") -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind, channel=channel).values_list(
            "recipient__username", flat=True
        )
    )


def _escalate(when: dt.datetime) -> dict[str, int]:
    with at(when):
        return services.escalate_due()


# --- Filing -----------------------------------------------------------------------------


def test_a_teacher_files_a_report_for_her_pupil(world: World, file_report: File) -> None:
    with at(T0):
        report = file_report()
    assert report.state == State.FILED
    assert report.area == world.village_a2
    assert report.reporter == world.tina
    assert report.reporter_role  # her role and school at the time
    assert report.next_escalation_at == T0 + 2 * H
    task = PoliceTask.objects.get(report=report)
    assert task.assignee == world.tina and not task.is_done
    step = ReportStep.objects.get(report=report)
    assert step.action == Action.FILE and step.actor == world.tina
    assert step.notified == ["amy", "carl", "sam"]
    assert _told(Kind.FILED) == ["amy", "carl", "sam"]  # not alice, not bob
    assert _told(Kind.POLICE_TASK) == ["tina"]
    event = AuditEvent.objects.get(action="report.filed")
    assert event.area == world.village_a2
    assert "week" not in str(event.extra)  # never what was seen


def test_without_immediate_danger_the_window_is_24_hours(file_report: File) -> None:
    with at(T0):
        report = file_report(immediate_danger=False)
    assert report.next_escalation_at == T0 + 24 * H


def test_the_windows_come_from_settings(file_report: File, settings: object) -> None:
    settings.SHOUWANG_REPORT_ACK_HOURS_DANGER = 1  # type: ignore[attr-defined]
    with at(T0):
        report = file_report()
    assert report.next_escalation_at == T0 + H


def test_a_reporter_cannot_name_a_child_out_of_her_reach(world: World, file_report: File) -> None:
    with pytest.raises(NotFound):
        file_report(child="hongmei")  # not tina's pupil
    assert not Report.objects.exists()


def test_anyone_signed_in_files_for_an_unknown_child_in_a_village(
    world: World, file_report: File
) -> None:
    with at(T0):
        report = file_report(
            actor=world.nora,
            child=None,
            child_description="Boy about 8, blue coat",
            place="Bus stop by the market",
            area=world.village_b1,
            trigger=Trigger.ORGANISED_BEGGING,
            duty_basis="citizen",
        )
    assert report.child is None and report.area == world.village_b1
    assert _told(Kind.FILED) == ["bob", "carl"]


def test_an_unknown_child_needs_a_description_a_village_and_a_place(
    world: World, file_report: File
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        file_report(actor=world.nora, child=None)
    assert set(exc.value.field_errors) == {"child_description", "area", "place"}
    assert not Report.objects.exists()


def test_bad_input_changes_nothing(file_report: File) -> None:
    with pytest.raises(ValidationFailed) as exc:
        file_report(trigger="nonsense", what_seen="  ", duty_basis="x")
    assert set(exc.value.field_errors) == {"trigger", "what_seen", "duty_basis"}
    assert not Report.objects.exists() and not Notification.objects.exists()


# --- The police task ----------------------------------------------------------------------


def test_the_reporter_records_her_report_to_the_police(world: World, filed: Report) -> None:
    with at(T0 + H):
        task = services.police_task_record(
            actor=world.tina,
            report=filed,
            police_station="S镇派出所",
            reported_at=T0 + 0.5 * H,
            receipt_no="2025-0042",
        )
    assert task.is_done and task.receipt_no == "2025-0042"
    assert ReportStep.objects.filter(report=filed, action=Action.POLICE_REPORTED).exists()
    assert filed.state == State.FILED  # the police task does not stop escalation


def test_only_the_reporter_records_the_police_report(world: World, filed: Report) -> None:
    with pytest.raises(PermissionDenied):
        services.police_task_record(
            actor=world.sam, report=filed, police_station="x", reported_at=T0
        )


def test_the_police_report_needs_a_station_and_no_future_time(world: World, filed: Report) -> None:
    with at(T0), pytest.raises(ValidationFailed) as exc:
        services.police_task_record(
            actor=world.tina, report=filed, police_station=" ", reported_at=T0 + H
        )
    assert set(exc.value.field_errors) == {"police_station", "reported_at"}
    assert not PoliceTask.objects.get(report=filed).is_done


# --- Escalation: deadlines and the ladder ------------------------------------------------


def test_nothing_escalates_just_before_the_deadline(filed: Report) -> None:
    assert _escalate(T0 + 2 * H - S)["escalated"] == 0
    filed.refresh_from_db()
    assert filed.escalation_level == 0


def test_it_escalates_at_the_deadline_to_the_township(world: World, filed: Report) -> None:
    assert _escalate(T0 + 2 * H)["escalated"] == 1
    filed.refresh_from_db()
    assert filed.escalation_level == 1
    assert filed.next_escalation_at == T0 + 4 * H
    assert _told(Kind.ESCALATED) == ["sam"]
    step = ReportStep.objects.get(report=filed, action=Action.ESCALATE)
    assert step.level == 1 and step.actor is None and step.notified == ["sam"]
    assert AuditEvent.objects.filter(action="report.escalated", actor_label="escalation worker")


def test_it_escalates_after_the_deadline_too(filed: Report) -> None:
    assert _escalate(T0 + 5 * H)["escalated"] == 1
    filed.refresh_from_db()
    assert filed.escalation_level == 1  # one level a pass, never a jump


def test_it_walks_up_the_tree_then_tells_every_rung_until_acknowledged(
    world: World, filed: Report
) -> None:
    _escalate(T0 + 2 * H)
    assert _escalate(T0 + 4 * H - S)["escalated"] == 0
    _escalate(T0 + 4 * H)
    assert _told(Kind.ESCALATED) == ["carl", "sam"]
    _escalate(T0 + 6 * H)  # above the county nobody holds the capability: tell everyone again
    assert _told(Kind.ESCALATED) == ["carl", "carl", "sam", "sam"]
    filed.refresh_from_db()
    assert filed.escalation_level == 3
    levels = list(
        ReportStep.objects.filter(report=filed, action=Action.ESCALATE).values_list(
            "level", "notified"
        )
    )
    assert levels == [(1, ["sam"]), (2, ["carl"]), (3, ["carl", "sam"])]


def test_a_prefecture_officer_is_the_third_rung(world: World, filed: Report) -> None:
    prefecture = world.county.parent
    pref = RoleAssignmentFactory(role=RoleAssignment.Role.COUNTY_OFFICER, area=prefecture).user
    for hours in (2, 4, 6):
        _escalate(T0 + hours * H)
    assert _told(Kind.ESCALATED) == sorted(["sam", "carl", pref.username])


def test_the_24_hour_window_escalates_a_day_later(file_report: File) -> None:
    with at(T0):
        report = file_report(immediate_danger=False)
    assert _escalate(T0 + 24 * H - S)["escalated"] == 0
    assert _escalate(T0 + 24 * H)["escalated"] == 1
    report.refresh_from_db()
    assert report.next_escalation_at == T0 + 48 * H


def test_acknowledging_stops_the_escalation(world: World, filed: Report) -> None:
    _escalate(T0 + 2 * H)
    with at(T0 + 3 * H):
        services.report_acknowledge(actor=world.sam, report=filed)
    assert filed.next_escalation_at is None
    assert _escalate(T0 + 100 * H)["escalated"] == 0
    assert _told(Kind.ESCALATED) == ["sam"]


def test_with_nobody_to_acknowledge_the_administrators_are_told(
    world: World, file_report: File
) -> None:
    other = make_area(world.province, "county", "410999000000", "无人县", "Nobody county")
    town = make_area(other, "township", "410999100000", "无人镇", "Nobody town")
    village = make_area(town, "village", "410999100201", "无人村", "Nobody village")
    RoleAssignmentFactory(
        user=world.adam, role=RoleAssignment.Role.ADMINISTRATOR, area=world.province
    )
    with at(T0):
        report = file_report(
            actor=world.nora,
            child=None,
            child_description="Girl about 6",
            place="Road",
            area=village,
        )
    _escalate(T0 + 2 * H)
    report.refresh_from_db()
    assert report.escalation_level == 1
    assert _told(Kind.UNROUTED) == ["adam"]


# --- Escalation: the claim ---------------------------------------------------------------


def test_two_passes_at_once_escalate_a_report_only_once(world: World, filed: Report) -> None:
    inner: dict[str, int] = {}

    def second_worker() -> None:  # runs between the first pass's scan and its claim
        inner.update(services.escalate_due(T0 + 2 * H))

    with at(T0 + 2 * H):
        outer = services.escalate_due(after_scan=second_worker)
    assert inner["escalated"] == 1
    assert outer == {"escalated": 0, "skipped": 1, "errors": 0}
    filed.refresh_from_db()
    assert filed.escalation_level == 1
    assert ReportStep.objects.filter(report=filed, action=Action.ESCALATE).count() == 1
    assert _told(Kind.ESCALATED) == ["sam"]


def test_a_crash_between_claim_and_notify_loses_nothing(
    world: World, filed: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise SystemExit("worker killed")

    monkeypatch.setattr(services, "_notify_escalation", crash)
    with at(T0 + 2 * H), pytest.raises(SystemExit):
        services.escalate_one(filed.pk, 0, T0 + 2 * H)
    filed.refresh_from_db()
    assert filed.escalation_level == 0  # the claim was rolled back with the crash
    assert filed.next_escalation_at == T0 + 2 * H
    assert not ReportStep.objects.filter(action=Action.ESCALATE).exists()

    monkeypatch.undo()  # the worker restarts
    assert _escalate(T0 + 2 * H + S)["escalated"] == 1
    assert _escalate(T0 + 2 * H + 2 * S)["escalated"] == 0
    filed.refresh_from_db()
    assert filed.escalation_level == 1
    assert _told(Kind.ESCALATED) == ["sam"]


def test_a_failing_report_does_not_stop_the_pass(
    world: World, file_report: File, monkeypatch: pytest.MonkeyPatch
) -> None:
    with at(T0):
        first = file_report()
        second = file_report(what_seen="Another one")
    real = services._notify_escalation

    def flaky(report: Report, now: dt.datetime) -> list:
        if report.pk == first.pk:
            raise RuntimeError("boom")
        return real(report, now)

    monkeypatch.setattr(services, "_notify_escalation", flaky)
    assert _escalate(T0 + 2 * H) == {"escalated": 1, "skipped": 0, "errors": 1}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.escalation_level, second.escalation_level) == (0, 1)


def test_the_escalation_reaches_the_inbox_and_the_mailbox(world: World, filed: Report) -> None:
    world.sam.email = "sam@example.org"
    world.sam.save(update_fields=["email"])
    _escalate(T0 + 2 * H)
    with at(T0 + 2 * H):
        deliver_due()
    assert any("sam@example.org" in m.to for m in mail.outbox)
    assert Notification.objects.filter(kind=Kind.ESCALATED, state="sent").count() == 2


# --- Acknowledge, respond, close -----------------------------------------------------------


def test_the_supervisor_acknowledges_and_the_reporter_is_told(world: World, filed: Report) -> None:
    with at(T0 + H):
        services.report_acknowledge(actor=world.sam, report=filed, note="Going now")
    filed.refresh_from_db()
    assert filed.state == State.ACKNOWLEDGED and filed.acknowledged_by == world.sam
    assert filed.acknowledged_at == T0 + H
    assert _told(Kind.UPDATE) == ["tina"]


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("amy", PermissionDenied),
        ("alice", NotFound),
        ("bob", NotFound),
        ("tina", NotFound),
        ("nora", NotFound),
    ],
)
def test_only_holders_acknowledge(world: World, filed: Report, persona: str, error: type) -> None:
    with pytest.raises(error):
        services.report_acknowledge(actor=getattr(world, persona), report=filed)
    filed.refresh_from_db()
    assert filed.state == State.FILED


def test_acknowledging_twice_is_refused(world: World, filed: Report) -> None:
    services.report_acknowledge(actor=world.sam, report=filed)
    with pytest.raises(ValidationFailed):
        services.report_acknowledge(actor=world.carl, report=filed)


def _respond(world: World, report: Report, **kwargs: object) -> Report:
    values: dict[str, object] = {
        "attended_by": "Sam (township), police officer Li",
        "safety_assessment": "Unsafe at home alone",
        "guardianship_assessment": "Grandmother in hospital; parents in Dongguan",
        "health_assessment": "Hungry, no injuries",
        "measures": ["temporary_placement", "parents_told_to_return"],
        "assistance": ["guardianship_guidance"],
        "follow_up_plan": "Visit weekly until the mother returns",
    }
    values.update(kwargs)
    return services.report_respond(actor=world.carl, report=report, **values)  # type: ignore[arg-type]


def test_the_response_and_the_three_domain_assessment(world: World, filed: Report) -> None:
    services.report_acknowledge(actor=world.sam, report=filed)
    _respond(world, filed)
    filed.refresh_from_db()
    assert filed.state == State.RESPONDED
    assert filed.measures == ["temporary_placement", "parents_told_to_return"]
    _respond(world, filed, follow_up_plan="Changed")  # may be updated
    filed.refresh_from_db()
    assert filed.follow_up_plan == "Changed"
    assert ReportStep.objects.filter(report=filed, action=Action.RESPOND).count() == 2


def test_a_response_needs_the_assessment_and_a_date_for_refusal(
    world: World, filed: Report
) -> None:
    services.report_acknowledge(actor=world.sam, report=filed)
    with pytest.raises(ValidationFailed) as exc:
        _respond(
            world,
            filed,
            safety_assessment=" ",
            intervention_flags=["refused_duties"],
            measures=["bogus"],
        )
    assert set(exc.value.field_errors) == {"safety_assessment", "refused_duties_since", "measures"}


def test_a_response_before_acknowledgement_is_refused(world: World, filed: Report) -> None:
    with pytest.raises(ValidationFailed):
        _respond(world, filed)


def test_closing_needs_a_reason_and_the_report_stays(world: World, filed: Report) -> None:
    services.report_acknowledge(actor=world.sam, report=filed)
    with pytest.raises(ValidationFailed):
        services.report_close(actor=world.carl, report=filed, reason="  ")
    services.report_close(actor=world.carl, report=filed, reason="Mother returned home")
    filed.refresh_from_db()
    assert filed.state == State.CLOSED and filed.close_reason == "Mother returned home"
    assert Report.objects.filter(pk=filed.pk).exists()
    with pytest.raises(ValidationFailed):
        services.report_acknowledge(actor=world.sam, report=filed)


def test_closing_a_waiting_report_is_refused(world: World, filed: Report) -> None:
    with pytest.raises(ValidationFailed):
        services.report_close(actor=world.carl, report=filed, reason="No")


def test_the_child_director_may_not_close(world: World, filed: Report) -> None:
    services.report_acknowledge(actor=world.sam, report=filed)
    with pytest.raises(PermissionDenied):
        services.report_close(actor=world.amy, report=filed, reason="x")
