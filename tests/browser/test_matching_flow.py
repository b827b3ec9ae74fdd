"""The township supervisor's matching, end to end on a 360 px phone: sam opens matching for
S-town, runs it, reads the suggestions and their reasons, accepts one; the need shows as
assigned. Selectors use the page's structure, not its words, so the test holds in both
languages."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from shouwang.resources.models import Volunteer
from shouwang.services import services as service_writes
from shouwang.services.models import ServiceNeed, ServiceType
from shouwang.testing.world import PASSWORD, World
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _service(code: str, one_to_one: bool) -> ServiceType:
    # Transactional tests flush the tables between tests: re-create the catalogue rows used.
    return ServiceType.objects.update_or_create(
        code=code,
        defaults={
            "name_zh": code,
            "name_en": code,
            "domain": "education",
            "mode": "individual",
            "one_to_one": one_to_one,
        },
    )[0]


def test_a_supervisor_runs_matching_and_accepts_a_suggestion(
    world: World, live_server: object, page: Page
) -> None:
    for area, lat in ((world.village_a1, 34.00), (world.village_a2, 34.02)):
        area.latitude, area.longitude = lat, 112.0
        area.save(update_fields=["latitude", "longitude"])
    study = _service("study_support", one_to_one=True)
    need = service_writes.raise_need(actor=world.alice, child=world.hongmei, service_type=study)
    teacher = Volunteer.objects.create(
        name="赵老师",
        area=world.village_a1,
        vetting=Volunteer.Vetting.VETTED,
        vetted_on=dt.date(2026, 1, 1),
    )
    teacher.skills.set([study])
    helper = Volunteer.objects.create(name="钱阿姨", area=world.village_a2)  # not vetted
    helper.skills.set([study])

    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill("sam")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()

    page.locator("nav.topnav a[href='/matching/']").click()
    expect(page.locator(".need-row")).to_have_count(1)
    expect(page.locator(".need-row")).to_contain_text("张红梅")
    shot(page, "matching-home")
    with page.expect_navigation():
        page.locator("form[action='/matching/run/'] button").click()

    card = page.locator(f".suggestion[data-need='{need.public_id}']")
    expect(card).to_contain_text("赵老师")  # the vetted volunteer, never the unvetted one
    expect(card).not_to_contain_text("钱阿姨")
    expect(card.locator(".match-reasons li")).to_have_count(4)  # skill, km, walking, vetted
    shot(page, "matching-suggestions")
    with page.expect_navigation():
        card.locator("button[value=accept]").click()

    card = page.locator(f".suggestion[data-need='{need.public_id}']")
    expect(card.locator(".need-status")).to_contain_text("赵老师")
    expect(card.locator("button[value=accept]")).to_have_count(0)
    shot(page, "matching-accepted")
    need.refresh_from_db()
    assert (need.status, need.assigned_volunteer) == (ServiceNeed.Status.ASSIGNED, teacher)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing overflows the phone's width
