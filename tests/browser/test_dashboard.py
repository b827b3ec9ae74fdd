"""The supervisor's insights dashboard at 360 px: the diagnosis flagged, the charts drawn by
the locally served ECharts, and a drill-down to the children behind a number."""

import pytest
from playwright.sync_api import Page, expect

from shouwang.insights.indicators import add_months
from shouwang.insights.services import stats_refresh
from shouwang.insights.tests.fixture import MONTH, build
from shouwang.testing.world import PASSWORD, World
from tests.browser.conftest import shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_sam_sees_the_diagnosis_the_charts_and_the_children_behind_coverage(
    world: World, live_server: object, page: Page
) -> None:
    build(world)
    for back in range(3):
        stats_refresh(root=world.county, month=add_months(MONTH, -back))
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill("sam")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()

    page.goto(f"{base}/insights/?month={MONTH:%Y-%m}")
    expect(page.locator("h1")).to_contain_text("S镇")
    # The diagnosis: coverage is flagged, on its card and in the summary.
    expect(page.locator('.insights-kpi[data-code="coverage_90d"]')).to_have_class(
        "card insights-kpi problem"
    )
    assert page.locator("#diagnosis .tag").count() >= 3
    # ECharts (served from /static/vendor/) drew the trends, the village bars and the mix.
    page.wait_for_function("typeof window.echarts !== 'undefined'")
    expect(page.locator('[data-code="coverage_90d"] canvas')).to_have_count(1)
    expect(page.locator("#by-area canvas")).to_have_count(1)
    expect(page.locator("#welfare-mix canvas")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "70-insights-dashboard")

    page.locator('.insights-kpi[data-code="coverage_90d"] a').click()
    expect(page.locator("#drilldown-children")).to_contain_text("陈晨")
    expect(page.locator("#drilldown-children")).not_to_contain_text("王强")
    expect(page.locator("#drilldown-children li")).to_have_count(1)
    shot(page, "71-insights-drilldown")


def test_without_the_chart_script_the_page_is_its_tables(
    world: World, live_server: object, page: Page
) -> None:
    build(world)
    page.route("**/vendor/echarts/**", lambda route: route.abort())
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill("sam")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()
    page.goto(f"{base}/insights/?month={MONTH:%Y-%m}")
    expect(page.locator("#trend-table")).to_be_visible()
    expect(page.locator("#by-area table")).to_be_visible()
    expect(page.locator('[data-chart="bars"]')).to_be_hidden()
    assert page.locator("canvas").count() == 0
