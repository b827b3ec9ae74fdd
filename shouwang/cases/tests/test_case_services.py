"""Cases: opened on registration, risk drives the follow-up rhythm, plans need owners,
visits count as follow-up, and a second save of a stale form changes nothing."""

import dataclasses
import datetime as dt

import pytest
import time_machine

from shouwang.audit.models import AuditEvent
from shouwang.cases import services
from shouwang.cases.models import CarePlan, Case, Visit
from shouwang.core.errors import PermissionDenied, ValidationFailed
from shouwang.registry.models import Child
from shouwang.registry.services import child_register
from shouwang.testing.payloads import registration
from shouwang.testing.world import World

TODAY = dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC)
pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def _child(world: World, **caregiver: object) -> Child:
    reg = registration()
    if caregiver:
        reg.caregiver = dataclasses.replace(reg.caregiver, **caregiver)  # type: ignore[arg-type]
    return child_register(actor=world.alice, village=world.village_a1, registration=reg).child


def test_registering_a_child_opens_her_case_with_the_village_director(world: World) -> None:
    child = _child(world)
    case = Case.objects.get(child=child)
    assert case.responsible == world.alice
    assert (case.risk_level, case.follow_up_days) == ("medium", 30)
    assert case.next_follow_up_due == dt.date(2026, 12, 29)
    assert AuditEvent.objects.filter(action="case.opened").count() == 1


def test_a_red_alert_opens_the_case_as_urgent(world: World) -> None:
    child = _child(world, relation="none")
    case = Case.objects.get(child=child)
    assert (case.risk_level, case.follow_up_days) == ("urgent", 7)


def test_a_visit_is_a_follow_up_and_can_raise_the_risk(world: World) -> None:
    child = _child(world)
    recorded = services.visit_record(
        actor=world.alice,
        child=child,
        kind="home",
        visited_on=dt.date(2026, 11, 28),
        saw_child=True,
        saw_caregiver=True,
        spoke_to_parent=False,
        observations={"psychological": "很少说话", "safety": ""},
        concerns=["low_mood"],
        next_steps="下周再去",
        risk_after="high",
    )
    case = Case.objects.get(child=child)
    assert case.last_follow_up_on == dt.date(2026, 11, 28)
    assert (case.risk_level, case.follow_up_days) == ("high", 14)
    assert case.next_follow_up_due == dt.date(2026, 12, 12)
    assert recorded.visit.observations == {"psychological": "很少说话"}
    assert recorded.report_triggers == []
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"visit.recorded", "case.risk_changed"} <= actions


def test_a_visit_concern_that_must_be_reported_is_returned(world: World) -> None:
    child = _child(world)
    recorded = services.visit_record(
        actor=world.alice,
        child=child,
        kind="home",
        visited_on=dt.date(2026, 11, 29),
        saw_child=True,
        saw_caregiver=False,
        spoke_to_parent=False,
        observations={},
        concerns=["living_alone"],
        next_steps="",
    )
    assert recorded.report_triggers == ["living_alone"]


def test_a_visit_in_the_future_is_refused_and_nothing_saved(world: World) -> None:
    child = _child(world)
    with pytest.raises(ValidationFailed) as exc:
        services.visit_record(
            actor=world.alice,
            child=child,
            kind="home",
            visited_on=dt.date(2026, 12, 1),
            saw_child=True,
            saw_caregiver=True,
            spoke_to_parent=False,
            observations={},
            concerns=[],
            next_steps="",
        )
    assert "visited_on" in exc.value.field_errors
    assert not Visit.objects.exists()


def _actions(world: World, owner: bool = True) -> list[services.ActionInput]:
    return [
        services.ActionInput(
            domain="education",
            description="每周辅导作业",
            due_on=dt.date(2026, 12, 20),
            owner_organisation=world.school if owner else None,
        )
    ]


def test_a_plan_action_without_an_owner_is_refused(world: World) -> None:
    child = _child(world)
    case = Case.objects.get(child=child)
    with pytest.raises(ValidationFailed) as exc:
        services.plan_save(
            actor=world.alice,
            case=case,
            goals="按时上学",
            review_due_on=None,
            actions=_actions(world, owner=False),
        )
    assert "actions.0" in exc.value.field_errors
    assert not CarePlan.objects.exists()


def test_a_high_risk_plan_waits_for_the_supervisor(world: World) -> None:
    child = _child(world)
    case = services.case_set_risk(actor=world.alice, child=child, risk_level="high", reason="test")
    plan = services.plan_save(
        actor=world.alice, case=case, goals="按时上学", review_due_on=None, actions=_actions(world)
    )
    assert plan.status == CarePlan.Status.AWAITING_APPROVAL
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=world.alice, plan=plan, version=plan.version)
    approved = services.plan_approve(actor=world.sam, plan=plan, version=plan.version)
    assert (approved.status, approved.approved_by) == ("active", world.sam)


def test_a_stale_case_form_is_refused_and_changes_nothing(world: World) -> None:
    child = _child(world)
    case = Case.objects.get(child=child)
    first_version = case.version
    services.case_update(
        actor=world.sam, case=case, version=first_version, responsible=world.sam, status="open"
    )
    with pytest.raises(services.StaleVersion):
        services.case_update(
            actor=world.alice,
            case=case,
            version=first_version,
            responsible=None,
            status="monitoring",
        )
    case.refresh_from_db()
    assert (case.responsible, case.status) == (world.sam, "open")


def test_closing_needs_a_reason(world: World) -> None:
    child = _child(world)
    case = Case.objects.get(child=child)
    with pytest.raises(ValidationFailed) as exc:
        services.case_update(
            actor=world.alice,
            case=case,
            version=case.version,
            responsible=world.alice,
            status="closed",
        )
    assert "close_reason" in exc.value.field_errors
    closed = services.case_update(
        actor=world.alice,
        case=case,
        version=case.version,
        responsible=world.alice,
        status="closed",
        close_reason="parents_returned",
    )
    assert closed.closed_on == dt.date(2026, 11, 29)
    assert AuditEvent.objects.filter(action="case.closed").exists()


def test_a_responsible_person_must_reach_the_child(world: World) -> None:
    child = _child(world)
    case = Case.objects.get(child=child)
    with pytest.raises(ValidationFailed) as exc:
        services.case_update(
            actor=world.alice,
            case=case,
            version=case.version,
            responsible=world.bob,
            status="open",
        )
    assert "responsible" in exc.value.field_errors


def test_bulk_opening_follows_the_same_rules_as_one_by_one(world: World) -> None:
    from shouwang.rules.services import children_reevaluate  # noqa: PLC0415

    world.hongmei.lives_alone = True
    world.hongmei.save(update_fields=["lives_alone"])
    children_reevaluate()
    opened = services.cases_open_missing()
    assert opened == 3
    hongmei = Case.objects.get(child=world.hongmei)
    assert (hongmei.responsible, hongmei.risk_level) == (world.alice, "urgent")
    assert Case.objects.get(child=world.xiaoming).responsible == world.amy
    assert AuditEvent.objects.filter(action="case.opened").count() == 3
    assert services.cases_open_missing() == 0  # idempotent
