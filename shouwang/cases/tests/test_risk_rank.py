"""The stored risk rank (``Case.risk_rank``, the board's "most urgent first") follows the
risk level through every service that sets the level, and the database refuses a rank
that does not."""

import dataclasses
import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from shouwang.audit.services import SystemActor
from shouwang.cases import domain, services
from shouwang.cases.models import Case
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


def _rank(child: Child) -> tuple[str, int]:
    case = Case.objects.get(child=child, status__in=["open", "monitoring"])
    return case.risk_level, case.risk_rank


def test_opening_a_case_stores_the_rank_of_its_level(world: World) -> None:
    assert _rank(_child(world)) == ("medium", 2)


def test_a_case_opened_urgent_after_a_red_alert_stores_the_rank(world: World) -> None:
    assert _rank(_child(world, relation="none")) == ("urgent", 0)


def test_setting_the_risk_moves_the_rank(world: World) -> None:
    child = _child(world)
    for level, rank in (("high", 1), ("low", 3), ("urgent", 0), ("medium", 2)):
        services.case_set_risk(actor=world.alice, child=child, risk_level=level, reason="test")
        assert _rank(child) == (level, rank)


def test_a_visit_that_changes_the_risk_moves_the_rank(world: World) -> None:
    child = _child(world)
    services.visit_record(
        actor=world.alice,
        child=child,
        kind="home",
        visited_on=dt.date(2026, 11, 28),
        saw_child=True,
        saw_caregiver=True,
        spoke_to_parent=False,
        observations={},
        concerns=[],
        next_steps="",
        risk_after="high",
    )
    assert _rank(child) == ("high", 1)


def test_cases_opened_in_bulk_store_the_rank(world: World) -> None:
    Case.objects.all().delete()
    assert services.cases_open_missing() == Child.objects.count()
    for case in Case.objects.all():
        assert case.risk_rank == domain.risk_rank(case.risk_level)


def test_the_database_refuses_a_rank_that_does_not_follow_the_level(world: World) -> None:
    case = services.case_open(actor=SystemActor("test"), child=world.hongmei)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(risk_level="urgent")  # rank left at medium's


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_cases_the_rank_of_their_level(world: World) -> None:
    executor = MigrationExecutor(connection)
    before = [("cases", "0003_case_plan_visit")]
    after = [("cases", "0004_case_risk_rank")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    child = world.hongmei  # the registry's tables are not part of this migration
    case_model = old_apps.get_model("cases", "Case")
    for level in ("urgent", "high", "medium", "low"):
        case_model.objects.create(
            child_id=child.pk,
            status="closed" if level != "low" else "open",
            risk_level=level,
            follow_up_days=30,
            next_follow_up_due=dt.date(2026, 12, 29),
            opened_on=dt.date(2026, 11, 29),
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    ranks = dict(new_apps.get_model("cases", "Case").objects.values_list("risk_level", "risk_rank"))
    assert ranks == {"urgent": 0, "high": 1, "medium": 2, "low": 3}
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_any_save_keeps_the_rank_with_the_level(world: World) -> None:
    case = services.case_open(actor=SystemActor("test"), child=world.hongmei)
    case.risk_level = "urgent"
    case.save(update_fields=["risk_level"])
    case.refresh_from_db()
    assert case.risk_rank == domain.risk_rank("urgent")
