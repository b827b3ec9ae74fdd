"""The services app's write services: access, validation, audit."""

import datetime as dt

import pytest
import time_machine

from shouwang.audit.models import AuditEvent
from shouwang.cases.models import PlanAction
from shouwang.core.errors import NotFound, PermissionDenied, ValidationFailed
from shouwang.resources.models import Volunteer
from shouwang.services import services
from shouwang.services.models import ServiceDelivery, ServiceNeed, ServiceType
from shouwang.services.tests.helpers import plan_action
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False)


def _type(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code)


def test_a_director_records_a_delivery_for_a_child_of_her_village(world: World) -> None:
    delivery = services.record_delivery(
        actor=world.alice,
        child=world.hongmei,
        service_type=_type("study_support"),
        delivered_on=dt.date(2026, 11, 19),
        duration_minutes=90,
        organisation=world.school,
        notes=" 数学作业 ",
    )
    assert (delivery.child, delivery.duration_minutes, delivery.notes) == (
        world.hongmei,
        90,
        "数学作业",
    )
    event = AuditEvent.objects.get(action="service.delivered")
    assert event.extra["delivery"] == str(delivery.public_id)


def test_a_delivery_in_the_future_is_refused_and_nothing_is_saved(world: World) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.record_delivery(
            actor=world.alice,
            child=world.hongmei,
            service_type=_type("study_support"),
            delivered_on=dt.date(2026, 11, 21),
            duration_minutes=-5,
        )
    assert set(exc.value.field_errors) == {"delivered_on", "duration_minutes"}
    assert not ServiceDelivery.objects.exists()
    assert not AuditEvent.objects.filter(action="service.delivered").exists()


def test_a_director_cannot_record_for_a_child_of_another_village(world: World) -> None:
    with pytest.raises(NotFound):
        services.record_delivery(
            actor=world.alice,
            child=world.qiang,
            service_type=_type("study_support"),
            delivered_on=dt.date(2026, 11, 19),
        )
    assert not ServiceDelivery.objects.exists()


def test_raising_the_same_need_twice_keeps_one_open_need(world: World) -> None:
    first = services.raise_need(
        actor=world.alice, child=world.hongmei, service_type=_type("companionship")
    )
    again = services.raise_need(
        actor=world.alice, child=world.hongmei, service_type=_type("companionship")
    )
    assert first.pk == again.pk
    assert ServiceNeed.objects.count() == 1
    assert AuditEvent.objects.filter(action="need.raised").count() == 1


def test_an_unvetted_volunteer_is_never_assigned_a_one_to_one_service(world: World) -> None:
    need = services.raise_need(
        actor=world.alice, child=world.hongmei, service_type=_type("companionship")
    )
    volunteer = Volunteer.objects.create(name="周老师", area=world.village_a1)
    with pytest.raises(ValidationFailed):
        services.assign_need(actor=world.sam, need=need, volunteer=volunteer)
    need.refresh_from_db()
    assert need.status == ServiceNeed.Status.OPEN
    volunteer.vetting = Volunteer.Vetting.VETTED
    volunteer.save()
    assigned = services.assign_need(actor=world.sam, need=need, volunteer=volunteer)
    assert (assigned.status, assigned.assigned_volunteer) == ("assigned", volunteer)
    assert AuditEvent.objects.filter(action="need.assigned").count() == 1


def test_a_director_cannot_assign_needs_and_a_stale_version_is_refused(world: World) -> None:
    need = services.raise_need(
        actor=world.alice, child=world.hongmei, service_type=_type("material_aid")
    )
    with pytest.raises(PermissionDenied):
        services.assign_need(actor=world.alice, need=need, organisation=world.ngo)
    services.assign_need(actor=world.sam, need=need, organisation=world.ngo)
    with pytest.raises(ValidationFailed):
        services.assign_need(actor=world.sam, need=need, organisation=world.school, version=1)
    need.refresh_from_db()
    assert need.assigned_organisation == world.ngo


def test_a_delivery_that_cannot_close_its_plan_action_is_not_saved_either(
    world: World,
) -> None:
    action = plan_action(world, world.hongmei, owner=world.school, due_on=dt.date(2026, 11, 20))
    action.status = PlanAction.Status.DONE
    action.save(update_fields=["status"])
    with pytest.raises(ValidationFailed):
        services.record_delivery(
            actor=world.alice,
            child=world.hongmei,
            service_type=_type("study_support"),
            delivered_on=dt.date(2026, 11, 19),
            plan_action=action,
            mark_action_done=True,
        )
    assert not ServiceDelivery.objects.exists()
    assert not AuditEvent.objects.filter(action="service.delivered").exists()


def test_a_school_liaison_cannot_close_a_plan_action_through_a_delivery(world: World) -> None:
    action = plan_action(world, world.xiaoming, owner=world.school, due_on=dt.date(2026, 11, 20))
    with pytest.raises(PermissionDenied):
        services.record_delivery(
            actor=world.tina,
            child=world.xiaoming,
            service_type=_type("study_support"),
            delivered_on=dt.date(2026, 11, 19),
            plan_action=action,
            mark_action_done=True,
        )
    assert not ServiceDelivery.objects.exists()
