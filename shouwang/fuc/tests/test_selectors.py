"""FUC reads: the choke point's uniform "not found", the queue's reach and order."""

import datetime as dt

import pytest

from shouwang.access.capabilities import Cap
from shouwang.core.errors import NotFound
from shouwang.fuc import selectors, services
from shouwang.fuc.models import FucApplication
from shouwang.fuc.tests.conftest import Apply, on
from shouwang.testing.world import World

D = dt.date


@pytest.mark.parametrize("persona", ["alice", "sam", "carl"])
def test_those_in_reach_fetch_the_application(world: World, apply: Apply, persona: str) -> None:
    application = apply()
    got = selectors.access_fuc_application(getattr(world, persona), str(application.public_id))
    assert got == application


@pytest.mark.parametrize("persona", ["amy", "bob", "tina", "pat", "rita", "adam", "nora"])
def test_everyone_else_gets_not_found(world: World, apply: Apply, persona: str) -> None:
    application = apply()
    with pytest.raises(NotFound):
        selectors.access_fuc_application(getattr(world, persona), application.public_id)


@pytest.mark.parametrize("public_id", ["00000000-0000-4000-8000-000000000000", "1", "../x"])
def test_made_up_ids_get_the_same_not_found(world: World, public_id: str) -> None:
    with pytest.raises(NotFound):
        selectors.access_fuc_application(world.alice, public_id)


def test_the_choke_point_checks_the_capability_asked_for(world: World, apply: Apply) -> None:
    application = apply()
    with pytest.raises(NotFound):
        selectors.access_fuc_application(world.alice, application.public_id, Cap.DECIDE_FUC)
    assert selectors.access_fuc_application(world.carl, application.public_id, Cap.DECIDE_FUC)


def test_a_school_liaison_never_reaches_a_pupils_application(world: World, apply: Apply) -> None:
    application = apply(child=world.xiaoming, actor=world.amy)
    with pytest.raises(NotFound):
        selectors.access_fuc_application(world.tina, application.public_id)
    assert not selectors.fuc_reaches(world.tina, Cap.VIEW_FUC, world.xiaoming)
    assert selectors.fuc_for_child(viewer=world.tina, child=world.xiaoming) == []
    assert selectors.fuc_queue(viewer=world.tina) == []


def test_fuc_for_child_lists_newest_first_within_reach(world: World, apply: Apply) -> None:
    with on(D(2026, 1, 5)):
        first = apply()
        services.fuc_verify(actor=world.sam, application=first, note="Matched.")
        services.fuc_reject(actor=world.carl, application=first, reason="Not both parents.")
    with on(D(2026, 3, 5)):
        second = apply()
    assert selectors.fuc_for_child(viewer=world.alice, child=world.hongmei) == [second, first]
    assert selectors.fuc_for_child(viewer=world.amy, child=world.hongmei) == []


def _queue_world(world: World, apply: Apply) -> dict[str, FucApplication]:
    """hongmei (A1) waits for the county, overdue; xiaoming (A2) waits for the township,
    overdue; qiang (B1) waits for the township, not overdue."""
    with on(D(2026, 1, 5)):  # Monday: township due 26 January
        hongmei = apply()
        xiaoming = apply(child=world.xiaoming, actor=world.amy)
    with on(D(2026, 1, 7)):  # county due 28 January
        services.fuc_verify(actor=world.sam, application=hongmei, note="Matched.")
    with on(D(2026, 2, 2)):  # township due 23 February
        qiang = apply(child=world.qiang, actor=world.bob)
    return {"hongmei": hongmei, "xiaoming": xiaoming, "qiang": qiang}


def test_the_county_queue_puts_overdue_first_then_by_due_date(world: World, apply: Apply) -> None:
    apps = _queue_world(world, apply)
    with on(D(2026, 2, 3)):
        rows = selectors.fuc_queue(viewer=world.carl)
    assert [(r, r.overdue, r.step_due_on) for r in rows] == [
        (apps["xiaoming"], True, D(2026, 1, 26)),
        (apps["hongmei"], True, D(2026, 1, 28)),
        (apps["qiang"], False, D(2026, 2, 23)),
    ]


def test_nothing_is_overdue_on_its_due_date(world: World, apply: Apply) -> None:
    apps = _queue_world(world, apply)
    rows = selectors.fuc_queue(viewer=world.carl, today=D(2026, 1, 26))
    assert {r.pk: r.overdue for r in rows} == {
        apps["xiaoming"].pk: False,
        apps["hongmei"].pk: False,
        apps["qiang"].pk: False,
    }


def test_each_supervisor_sees_only_his_township(world: World, apply: Apply) -> None:
    apps = _queue_world(world, apply)
    assert {a.pk for a in selectors.fuc_queue(viewer=world.sam)} == {
        apps["hongmei"].pk,
        apps["xiaoming"].pk,
    }
    assert [a.pk for a in selectors.fuc_queue(viewer=world.bob)] == [apps["qiang"].pk]


def test_the_queue_is_not_for_child_directors(world: World, apply: Apply) -> None:
    _queue_world(world, apply)
    assert selectors.fuc_queue(viewer=world.alice) == []


def test_decided_applications_leave_the_queue(world: World, apply: Apply) -> None:
    apps = _queue_world(world, apply)
    services.fuc_confirm(actor=world.carl, application=apps["hongmei"], note="Qualifies.")
    assert apps["hongmei"] not in selectors.fuc_queue(viewer=world.carl)


def test_the_queue_is_one_query(
    world: World, apply: Apply, django_assert_num_queries: object
) -> None:
    _queue_world(world, apply)
    selectors.fuc_queue(viewer=world.carl)  # grants cached on the user object
    with django_assert_num_queries(1):  # type: ignore[operator]
        rows = selectors.fuc_queue(viewer=world.carl)
        for row in rows:
            _ = (row.child.name, row.child.village.parent.display_name, row.applied_by.username)
