"""Services at 360 px: the supervisor reads her town's welfare mix; a director creates a
group activity and taps two children present; she records a service that fulfils a plan
action and marks the action done."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from shouwang.cases.models import PlanAction
from shouwang.services import services
from shouwang.services.models import Attendance, ServiceDelivery
from shouwang.services.tests.helpers import plan_action, stype
from shouwang.testing.factories import ChildFactory
from shouwang.testing.world import PASSWORD, World
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _catalogue(world: World) -> None:
    """A transactional test starts from an emptied database: seed the catalogue again, as
    its data migration does."""
    seed = importlib.import_module("shouwang.services.migrations.0002_seed_catalogue").seed
    seed(django_apps, None)


def _login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()
    page.wait_for_load_state()


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_supervisor_sees_the_share_each_sector_carries(
    world: World, live_server: object, page: Page
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    today = timezone.localdate()
    for org, minutes in ((world.school, 60), (world.ngo, 60), (world.ngo, 120)):
        services.record_delivery(
            actor=world.sam,
            child=world.hongmei,
            service_type=stype("study_support"),
            delivered_on=today,
            duration_minutes=minutes,
            organisation=org,
        )
    _login(page, base, "sam")
    page.goto(f"{base}/services/mix/")
    deliveries = page.locator("#mix-deliveries")
    expect(deliveries.locator("tr[data-sector=voluntary]")).to_contain_text("66.7%")
    expect(deliveries.locator("tr[data-sector=state]")).to_contain_text("33.3%")
    expect(page.locator("#mix-hours tr[data-sector=voluntary]")).to_contain_text("75.0%")
    bar = deliveries.locator("tr[data-sector=voluntary] .bar")
    assert bar.evaluate("el => el.getBoundingClientRect().width") > 0
    shot(page, "60-welfare-mix")
    _fits(page)


def test_a_director_taps_attendance_and_records_a_service_against_a_plan_action(
    world: World, live_server: object, page: Page
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    xiaofang = ChildFactory(name="刘小芳", village=world.village_a1)
    action = plan_action(
        world, world.hongmei, actor=world.alice, owner=world.school, due_on=timezone.localdate()
    )
    _login(page, base, "alice")

    # A group activity, then a tap for each of two children.
    page.goto(f"{base}/services/activities/new/")
    page.locator("#id_title").fill("周末读书会")
    page.locator("#id_service_type").select_option(str(stype("childrens_home_activity").pk))
    page.locator("#id_place").fill("东王村儿童之家")
    page.locator("#id_organiser").select_option(str(world.ngo.pk))
    _fits(page)
    with page.expect_navigation():
        page.locator("button[type=submit].primary").click()
    expect(page.locator("#roster li")).to_have_count(2)
    page.locator(f"#c-{world.hongmei.public_id} button.tap").click()
    expect(page.locator(f"#c-{world.hongmei.public_id}")).to_have_class("tap-row is-present")
    page.locator("#roster-q").fill("lxf")
    expect(page.locator("#roster li")).to_have_count(1)
    page.locator(f"#c-{xiaofang.public_id} button.tap").click()
    expect(page.locator(f"#c-{xiaofang.public_id}")).to_have_class("tap-row is-present")
    expect(page.locator("#present-count")).to_contain_text("2")
    _fits(page)
    shot(page, "61-attendance")
    assert Attendance.objects.count() == 2

    # A service for hongmei that fulfils her plan action.
    page.goto(f"{base}/children/{world.hongmei.public_id}/")
    expect(page.locator("#services")).to_contain_text("周末读书会")
    page.locator("#services a.button.primary").click()
    page.locator("#id_service_type").select_option(str(stype("study_support").pk))
    page.locator("#id_duration_minutes").fill("90")
    page.locator("#id_organisation").select_option(str(world.school.pk))
    page.locator("#id_plan_action").select_option(str(action.pk))
    page.locator("#id_mark_action_done").check()
    _fits(page)
    shot(page, "62-delivery")
    with page.expect_navigation():
        page.locator("button[type=submit].primary").click()
    expect(page.locator("#services")).to_contain_text("每周学业辅导")
    shot(page, "63-profile-services")
    delivery = ServiceDelivery.objects.get()
    assert (delivery.plan_action_id, delivery.duration_minutes) == (action.pk, 90)
    action.refresh_from_db()
    assert action.status == PlanAction.Status.DONE
