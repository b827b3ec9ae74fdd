"""The review queue: finding, deciding, merging and unmerging, with the denials."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client

from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor
from shouwang.core.errors import NotFound, ValidationFailed
from shouwang.duplicates import selectors, services
from shouwang.duplicates.models import DuplicatePair, Merge, merged_away
from shouwang.registry.models import Child, ChildRelation
from shouwang.testing.factories import ChildFactory, add_family
from shouwang.testing.world import World


@pytest.fixture
def twin_record(world: World) -> Child:
    """张红梅 registered again in the next village as 章红梅 (a homophone)."""
    child = ChildFactory(
        name="章红梅", sex="female", village=world.village_a2, birth_date=dt.date(2014, 9, 1)
    )
    add_family(child)
    return child


@pytest.fixture
def pair(world: World, twin_record: Child) -> DuplicatePair:
    new, found, _result = services.find_duplicates(actor=SystemActor("test"))
    assert new == found == 1
    return DuplicatePair.objects.get()


def test_find_queues_the_homophone_once_and_audits(world: World, pair: DuplicatePair) -> None:
    assert {pair.child_a, pair.child_b} == {world.hongmei, Child.objects.get(name="章红梅")}
    assert pair.score >= 0.9
    assert AuditEvent.objects.filter(action="duplicate.found").count() == 1
    new, found, _ = services.find_duplicates(actor=SystemActor("test"))
    assert (new, found) == (0, 1)


def test_the_command_fills_the_queue(world: World, twin_record: Child, capsys) -> None:
    call_command("duplicates", "find", "--county", world.county.code)
    assert DuplicatePair.objects.count() == 1
    assert "1 likely duplicate pairs" in capsys.readouterr().out


def test_queue_is_scoped(world: World, pair: DuplicatePair) -> None:
    assert list(selectors.pair_list(viewer=world.sam)) == [pair]
    assert list(selectors.pair_list(viewer=world.carl)) == [pair]
    assert list(selectors.pair_list(viewer=world.bob)) == []
    with pytest.raises(NotFound):
        selectors.access_pair(world.bob, pair.pk)


def test_pages_for_the_supervisor_and_denials(
    world: World, pair: DuplicatePair, client: Client
) -> None:
    client.force_login(world.sam)
    body = client.get("/duplicates/").content.decode()
    assert "章红梅" in body
    body = client.get(f"/duplicates/{pair.pk}/").content.decode()
    assert "张红梅" in body and "章红梅" in body
    client.force_login(world.bob)
    for url in (f"/duplicates/{pair.pk}/", f"/duplicates/{pair.pk}/decide/"):
        response = client.post(url, {"decision": "confirm"})
        assert response.status_code == 404
    assert "章红梅" not in client.get("/duplicates/").content.decode()
    client.force_login(world.alice)  # a child director may not review duplicates
    assert client.get(f"/duplicates/{pair.pk}/").status_code == 403
    assert client.post(f"/duplicates/{pair.pk}/merge/", {"keep": "a"}).status_code == 403
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.CANDIDATE


def test_reject_needs_a_reason(world: World, pair: DuplicatePair, client: Client) -> None:
    with pytest.raises(ValidationFailed):
        services.pair_decide(actor=world.sam, pair=pair, confirm=False, reason=" ")
    client.force_login(world.sam)
    client.post(f"/duplicates/{pair.pk}/decide/", {"decision": "reject", "reason": "双胞胎"})
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.REJECTED
    assert pair.reviewed_by == world.sam and pair.reason == "双胞胎"
    assert AuditEvent.objects.filter(action="duplicate.rejected").exists()


def test_merge_and_unmerge_through_the_pages(
    world: World, pair: DuplicatePair, twin_record: Child, client: Client
) -> None:
    client.force_login(world.sam)
    # Not yet confirmed: merging is refused.
    client.post(f"/duplicates/{pair.pk}/merge/", {"keep": "a"})
    assert not Merge.objects.exists()
    client.post(f"/duplicates/{pair.pk}/decide/", {"decision": "confirm", "reason": ""})
    survivor = pair.child_a
    merged = pair.child_b
    relations_before = ChildRelation.objects.filter(child=merged).count()
    client.post(f"/duplicates/{pair.pk}/merge/", {"keep": "a"})
    merge = Merge.objects.get()
    assert (merge.survivor, merge.merged) == (survivor, merged)
    assert merged.pk in set(merged_away().values_list("merged_id", flat=True))
    assert Child.objects.exclude(pk__in=merged_away()).filter(pk=merged.pk).count() == 0
    # The grandmother is a different Person row, so she moves; the second father does not.
    assert ChildRelation.objects.filter(child=survivor).count() > 3
    assert AuditEvent.objects.filter(action="child.merged").exists()
    client.post(f"/duplicates/{pair.pk}/unmerge/")
    merge.refresh_from_db()
    assert merge.reversed_at is not None and merge.reversed_by == world.sam
    assert ChildRelation.objects.filter(child=merged).count() == relations_before
    assert ChildRelation.objects.filter(child=survivor).count() == 3
    assert not merged_away().exists()
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.CONFIRMED
    assert AuditEvent.objects.filter(action="child.unmerged").exists()


def test_likely_duplicates_at_registration(world: World) -> None:
    from shouwang.duplicates.registration import likely_duplicates  # noqa: PLC0415
    from shouwang.registry.domain import (  # noqa: PLC0415
        CaregiverInput,
        ChildInput,
        HouseholdInput,
        ParentInput,
        Registration,
    )

    registration = Registration(
        child=ChildInput(
            name="张宏梅",
            sex="female",
            birth_date=dt.date(2014, 1, 9),
            hukou_type="rural",
            school_stage="primary",
            health_status="healthy",
        ),
        household=HouseholdInput(),
        father=ParentInput(situation="working_away", name="李建国"),
        mother=ParentInput(situation="working_away", name="王秀英"),
        caregiver=CaregiverInput(relation="paternal_grandmother", name="李奶奶"),
    )
    found = likely_duplicates(viewer=world.amy, registration=registration, village=world.village_a2)
    assert [c.child for c in found] == [world.hongmei]
    assert found[0].visible is False  # amy (village A2) may not open alice's child
    found = likely_duplicates(
        viewer=world.alice, registration=registration, village=world.village_a1
    )
    assert found[0].visible is True
    registration.child.name = "王小虎"
    registration.child.sex = "male"
    assert (
        likely_duplicates(viewer=world.alice, registration=registration, village=world.village_a1)
        == []
    )
