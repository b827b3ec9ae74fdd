"""The profile shows what the rules say, with reasons and the cited article, in both
languages; a decision is recorded with its reason."""

import dataclasses

import pytest
from playwright.sync_api import Page, expect

from shouwang.registry.services import child_register
from shouwang.rules.models import ClassificationDecision
from shouwang.testing.payloads import registration
from shouwang.testing.world import PASSWORD, World
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()


def test_a_child_left_alone_shows_a_red_alert_with_its_reason_in_both_languages(
    world: World, live_server: object, page: Page
) -> None:
    reg = registration()
    reg.caregiver = dataclasses.replace(reg.caregiver, relation="none")
    child = child_register(actor=world.alice, village=world.village_a1, registration=reg).child
    base = live_server.url  # type: ignore[attr-defined]

    _login(page, base, "alice")
    page.goto(f"{base}/children/{child.public_id}/")
    rules = page.locator("#rules")
    expect(rules.locator("h2")).to_have_text("法规提示")
    expect(rules.locator(".alert-red")).to_contain_text("强制报告：请立即报警")
    expect(rules.locator(".alert-red")).to_contain_text("未成年人保护法")
    rules.locator("li.rule summary").first.click()
    expect(rules.locator("li.rule").first).to_contain_text("〔2016〕")
    shot(page, "10-rules-zh")

    page.get_by_role("button", name="English").click()
    rules = page.locator("#rules")
    expect(rules.locator("h2")).to_have_text("What the rules say")
    expect(rules.locator(".alert-red")).to_contain_text("mandatory report")
    shot(page, "11-rules-en")


def test_a_supervisor_confirms_a_result_with_a_reason(
    world: World, live_server: object, page: Page
) -> None:
    child = child_register(
        actor=world.alice, village=world.village_a1, registration=registration()
    ).child
    base = live_server.url  # type: ignore[attr-defined]
    _login(page, base, "sam")
    page.goto(f"{base}/children/{child.public_id}/")
    item = page.locator("li.rule", has_text="留守儿童").first
    item.locator("summary").click()
    item.locator("textarea[name=reason]").fill("入户核实，父母均在外务工")
    item.get_by_role("button", name="记录决定").click()
    expect(page.locator(".messages")).to_be_visible()
    decision = ClassificationDecision.objects.get()
    assert (decision.decided_by.username, decision.decision) == ("sam", "confirmed")
