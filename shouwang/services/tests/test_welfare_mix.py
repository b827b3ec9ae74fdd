"""The welfare mix: which sector carries which share of a township's work, computed in SQL
with exact numbers (the same fixture on SQLite and PostgreSQL), and the page's access."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.accounts.models import Organisation
from shouwang.core.errors import NotFound
from shouwang.resources.models import Volunteer
from shouwang.services import selectors, services
from shouwang.services.tests.helpers import plan_action, stype
from shouwang.testing.factories import OrganisationFactory
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
START = TODAY - dt.timedelta(days=89)


@pytest.fixture(autouse=True)
def _today(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def work(world: World) -> World:
    """S-town's work in the last 90 days, by four sectors (and some work outside it)."""
    market = OrganisationFactory(
        name_zh="S镇超市",
        org_type=Organisation.Type.ENTERPRISE,
        sector=Organisation.Sector.MARKET,
        area=world.town_a,
    )
    family = OrganisationFactory(
        name_zh="东王村邻里互助组",
        org_type=Organisation.Type.FAMILY_NETWORK,
        sector=Organisation.Sector.INFORMAL,
        area=world.village_a1,
    )
    clerk = Volunteer.objects.create(name="超市店员", organisation=market, area=world.town_a)
    alone = Volunteer.objects.create(name="退休教师", area=world.village_a1)
    study = stype("study_support")

    def deliver(child, day: dt.date, minutes: int, **by: object) -> None:  # type: ignore[no-untyped-def]
        services.record_delivery(
            actor=world.sam,
            child=child,
            service_type=study,
            delivered_on=day,
            duration_minutes=minutes,
            **by,  # type: ignore[arg-type]
        )

    day = TODAY - dt.timedelta(days=10)
    deliver(world.hongmei, day, 60, organisation=world.school)  # state
    deliver(world.xiaoming, day, 30, organisation=world.school)  # state
    deliver(world.hongmei, day, 90, organisation=market)  # market
    deliver(world.hongmei, day, 30, volunteer=clerk)  # market, through her organisation
    deliver(world.xiaoming, day, 45, volunteer=alone)  # voluntary: no organisation
    deliver(world.hongmei, START, 120, organisation=world.ngo)  # voluntary, first day
    deliver(world.xiaoming, TODAY, 15)  # nobody recorded
    deliver(world.hongmei, START - dt.timedelta(days=1), 600, organisation=world.school)  # before
    services.record_delivery(  # another town
        actor=world.bob,
        child=world.qiang,
        service_type=study,
        delivered_on=day,
        duration_minutes=100,
        organisation=world.ngo,
    )

    group = stype("childrens_home_activity")

    def activity(area, organiser, held_on: dt.date, children) -> None:  # type: ignore[no-untyped-def]
        actor = world.bob if area == world.town_b else world.sam
        a = services.activity_create(
            actor=actor,
            title="活动",
            service_type=group,
            held_on=held_on,
            place="儿童之家",
            area=area,
            organiser=organiser,
        )
        for child in children:
            services.attendance_mark(actor=actor, activity=a, child=child)

    activity(world.village_a1, world.ngo, day, [world.hongmei])  # voluntary
    activity(world.town_a, world.school, day, [world.hongmei, world.xiaoming])  # state
    activity(world.village_a2, family, day, [world.xiaoming])  # informal
    activity(world.town_a, world.ngo, START - dt.timedelta(days=5), [world.hongmei])  # before
    activity(world.town_b, world.ngo, day, [world.qiang])  # another town

    plan_action(world, world.hongmei, owner=world.school, due_on=TODAY)  # state
    plan_action(world, world.xiaoming, owner_user=world.amy, due_on=TODAY)  # a person
    plan_action(world, world.qiang, actor=world.bob, owner=world.ngo, due_on=TODAY)  # elsewhere
    return world


def _table(mix: selectors.WelfareMix, key: str) -> dict[str, tuple[float, float]]:
    return {r["sector"]: (r["value"], r["share"]) for r in mix.measure(key).rows}


def test_the_mix_counts_each_sectors_share_exactly(work: World) -> None:
    mix = selectors.welfare_mix(viewer=work.sam, township=work.town_a, start=START, end=TODAY)
    assert _table(mix, "deliveries") == {
        "state": (2, 28.6),
        "market": (2, 28.6),
        "voluntary": (2, 28.6),
        "informal": (0, 0.0),
        "none": (1, 14.3),
    }
    assert mix.measure("hours").shown_total == 6.5
    assert _table(mix, "hours") == {
        "state": (1.5, 23.1),
        "market": (2.0, 30.8),
        "voluntary": (2.8, 42.3),
        "informal": (0, 0.0),
        "none": (0.2, 3.8),
    }
    assert _table(mix, "activities") == {
        "state": (1, 33.3),
        "market": (0, 0.0),
        "voluntary": (1, 33.3),
        "informal": (1, 33.3),
    }
    assert _table(mix, "attendance") == {
        "state": (2, 50.0),
        "market": (0, 0.0),
        "voluntary": (1, 25.0),
        "informal": (1, 25.0),
    }
    assert _table(mix, "actions") == {
        "state": (1, 50.0),
        "market": (0, 0.0),
        "voluntary": (0, 0.0),
        "informal": (0, 0.0),
        "none": (1, 50.0),
    }


def test_the_county_gets_the_same_numbers_and_each_town_its_own(work: World) -> None:
    county = selectors.welfare_mix(viewer=work.carl, township=work.town_a, start=START, end=TODAY)
    assert _table(county, "deliveries")["state"] == (2, 28.6)
    q_town = selectors.welfare_mix(viewer=work.carl, township=work.town_b, start=START, end=TODAY)
    assert _table(q_town, "deliveries")["voluntary"] == (1, 100.0)
    assert _table(q_town, "attendance")["voluntary"] == (1, 100.0)


def test_a_narrower_period_counts_only_its_days(work: World) -> None:
    mix = selectors.welfare_mix(viewer=work.sam, township=work.town_a, start=START, end=START)
    assert _table(mix, "deliveries")["voluntary"] == (1, 100.0)
    assert mix.measure("activities").total == 0


def test_a_supervisor_cannot_read_another_towns_mix(work: World) -> None:
    with pytest.raises(NotFound):
        selectors.welfare_mix(viewer=work.sam, township=work.town_b, start=START, end=TODAY)


def test_the_mix_takes_four_queries(work: World) -> None:
    with CaptureQueriesContext(connection) as ctx:
        selectors.welfare_mix(viewer=work.sam, township=work.town_a, start=START, end=TODAY)
    # one grouped query per kind of work (the viewer's grants are already cached)
    assert len(ctx.captured_queries) == 4
    assert all("GROUP BY" in q["sql"] for q in ctx.captured_queries)


def test_the_page_shows_the_supervisors_town_by_default(work: World, client: Client) -> None:
    client.force_login(work.sam)
    html = client.get(reverse("services:mix")).content.decode()
    assert "S镇" in html
    assert 'data-sector="market"' in html
    assert "28.6%" in html
    assert 'style="width: 28.6%"' in html
    assert 'name="town"' not in html  # one township: nothing to choose


def test_the_county_chooses_a_township(work: World, client: Client) -> None:
    client.force_login(work.carl)
    html = client.get(reverse("services:mix")).content.decode()
    assert 'name="town"' in html
    assert "28.6%" not in html
    html = client.get(reverse("services:mix"), {"town": work.town_b.code}).content.decode()
    assert "100.0%" in html


def test_a_supervisor_asking_for_another_town_sees_only_her_own(
    work: World, client: Client
) -> None:
    client.force_login(work.sam)
    html = client.get(reverse("services:mix"), {"town": work.town_b.code}).content.decode()
    assert "Q镇" not in html
    assert "100.0%" not in html


@pytest.mark.usefixtures("english_pages")
def test_a_period_ending_before_it_starts_is_refused(work: World, client: Client) -> None:
    client.force_login(work.sam)
    html = client.get(
        reverse("services:mix"), {"start": "2026-11-10", "end": "2026-11-01"}
    ).content.decode()
    assert "The end of the period must not be before its start." in html


@pytest.mark.parametrize("persona", ["alice", "tina", "pat", "rita", "nora", "adam"])
def test_the_page_is_refused_without_the_capability(
    world: World, client: Client, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(reverse("services:mix")).status_code == 403
