"""The township supervisor's diagnostic report at 360 px, in Chinese, and its PDF."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from shouwang.cases.services import cases_open_missing
from shouwang.rules.services import children_reevaluate
from shouwang.testing.world import PASSWORD, World
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()


def test_sam_reads_s_towns_diagnosis_and_downloads_the_pdf(
    world: World, live_server: object, page: Page
) -> None:
    children_reevaluate()  # hongmei and xiaoming become left-behind children…
    cases_open_missing()  # …with cases, and no service or visit at all: coverage is 0 %
    base = live_server.url  # type: ignore[attr-defined]
    month = f"{timezone.localdate():%Y-%m}"

    _login(page, base, "sam")
    page.goto(f"{base}/insights/report/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator("#id_area").select_option("410322100000")
    page.locator("#id_to").fill(month)
    page.locator("form.report-choose button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("S镇")
    problems = page.locator("#problems .report-problem")
    expect(problems.first).to_be_visible()
    expect(problems.first.locator("li").first).to_contain_text("%")
    expect(page.locator("#problems")).to_contain_text("0%")  # coverage: 0 of 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "report-s-town")

    href = page.locator("#report-pdf").get_attribute("href")
    response = page.context.request.get(f"{base}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
