"""The registration service: what it writes, what it audits, and what it refuses."""

import dataclasses
import datetime as dt

import pytest

from shouwang.audit.models import AuditEvent
from shouwang.core.errors import PermissionDenied, ValidationFailed
from shouwang.registry.models import CareArrangement, Child, ParentAbsence, Person
from shouwang.registry.services import child_register
from shouwang.testing.payloads import CHILD_ID, registration
from shouwang.testing.world import World


def _counts() -> tuple[int, ...]:
    return (
        Child.objects.count(),
        Person.objects.count(),
        ParentAbsence.objects.count(),
        CareArrangement.objects.count(),
        AuditEvent.objects.count(),
    )


def test_it_registers_a_child_with_family_and_audits_it(world: World) -> None:
    written = child_register(
        actor=world.alice, village=world.village_a1, registration=registration()
    )
    child = written.child
    assert child.county == world.county
    assert (child.name_pinyin, child.name_initials) == ("liuxiaoyu", "lxy")
    assert child.registered_by == world.alice
    father = child.relations.get(relation="father").person
    assert father.situation == Person.Situation.WORKING_AWAY
    assert father.absences.get().work_place == "广东省东莞市"
    care = child.care_arrangements.get()
    assert care.category == CareArrangement.Category.GRANDPARENTS
    assert care.caregiver is not None and care.caregiver.literacy == "illiterate"
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHILD_REGISTERED)
    assert (event.actor, event.target_id, event.area) == (
        world.alice,
        str(child.public_id),
        world.village_a1,
    )


def test_it_refuses_a_village_outside_the_actor_area_and_writes_nothing(world: World) -> None:
    before = _counts()
    with pytest.raises(ValidationFailed):
        child_register(actor=world.alice, village=world.village_a2, registration=registration())
    assert _counts() == before


def test_it_refuses_an_actor_without_the_capability(world: World) -> None:
    with pytest.raises(PermissionDenied):
        child_register(actor=world.carl, village=world.village_a1, registration=registration())


def test_it_refuses_the_same_id_number_twice_in_the_county(world: World) -> None:
    child_register(actor=world.sam, village=world.village_a1, registration=registration())
    before = _counts()
    with pytest.raises(ValidationFailed) as exc:
        child_register(actor=world.sam, village=world.village_a2, registration=registration())
    assert "child.id_number" in exc.value.field_errors
    assert _counts() == before


def test_it_accepts_the_id_number_typed_with_spaces_and_stores_it_compact(world: World) -> None:
    spaced = f"{CHILD_ID[:6]} {CHILD_ID[6:14]} {CHILD_ID[14:]}"
    written = child_register(
        actor=world.alice, village=world.village_a1, registration=registration(id_number=spaced)
    )
    assert written.child.id_number == CHILD_ID


def test_it_refuses_a_future_birth_date_and_writes_nothing(world: World) -> None:
    before = _counts()
    with pytest.raises(ValidationFailed) as exc:
        child_register(
            actor=world.alice,
            village=world.village_a1,
            registration=registration(birth_date=dt.date(2099, 1, 1), id_number=""),
        )
    assert "child.birth_date" in exc.value.field_errors
    assert _counts() == before


def test_a_child_living_alone_is_registered_with_no_guardian(world: World) -> None:
    reg = registration()
    reg.caregiver = dataclasses.replace(reg.caregiver, relation="none")
    child = child_register(actor=world.alice, village=world.village_a1, registration=reg).child
    care = child.care_arrangements.get()
    assert care.category == CareArrangement.Category.NO_GUARDIAN
    assert care.caregiver is None
