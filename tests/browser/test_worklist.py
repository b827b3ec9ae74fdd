"""A child director's morning at 360 px: her worklist, a visit that raises the risk, and
the child on top of the supervisor's board."""

import pytest
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


def test_a_visit_that_raises_the_risk_moves_the_child_to_the_top_of_the_board(
    world: World, live_server: object, page: Page
) -> None:
    children_reevaluate()
    cases_open_missing()
    base = live_server.url  # type: ignore[attr-defined]

    _login(page, base, "sam")
    expect(page.locator("h1")).to_have_text("乡镇看板")
    # Before the visit nobody in S-town is urgent.
    expect(page.locator("#top-children li").first).not_to_contain_text("紧急")
    page.context.clear_cookies()

    _login(page, base, "amy")
    expect(page.locator("h1")).to_have_text("今日工作")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    shot(page, "20-worklist")
    page.goto(f"{base}/children/{world.xiaoming.public_id}/")
    page.locator("#case").get_by_role("link", name="记录走访").click()
    page.locator("#id_kind").select_option("home")
    page.locator("#id_next_steps").fill("孩子情绪低落，祖母生病住院")
    page.locator("#id_risk_after").select_option("urgent")
    page.locator("input[name=concerns][value=low_mood]").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "21-visit")
    with page.expect_navigation():
        page.get_by_role("button", name="保存走访").click()
    expect(page.locator("#case")).to_contain_text("紧急")
    page.context.clear_cookies()

    _login(page, base, "sam")
    top = page.locator("#top-children li").first
    expect(top).to_contain_text("李小明")
    expect(top).to_contain_text("紧急")
    shot(page, "22-board")
