"""End to end in a real browser: a child director's first morning, and an outsider refused."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from shouwang.lib.idcard import make_id_number
from shouwang.registry.models import Child
from shouwang.testing.factories import ChildFactory
from shouwang.testing.world import PASSWORD, World
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px phone"


def _fill_registration(page: Page) -> None:
    born = dt.date(2016, 4, 12)
    page.locator("#id_child-name").fill("赵小燕")
    page.locator("#id_child-sex").select_option("female")
    page.locator("#id_child-birth_date").fill("2016-04-12")
    page.locator("#id_child-id_number").fill(make_id_number("410322", born, 124))
    page.locator("#id_child-school_stage").select_option("primary")
    page.locator("#id_father-name").fill("赵军")
    page.locator("#id_father-situation").select_option("working_away")
    page.locator("#id_father-work_place").fill("上海市")
    page.locator("#id_father-away_since").fill("2021-02-20")
    page.locator("#id_father-contact_channel").fill("微信")
    page.locator("#id_mother-name").fill("孙梅")
    page.locator("#id_mother-situation").select_option("working_away")
    page.locator("#id_mother-work_place").fill("浙江省杭州市")
    page.locator("#id_mother-away_since").fill("2021-02-20")
    page.locator("#id_caregiver-relation").select_option("maternal_grandmother")
    page.locator("#id_caregiver-name").fill("孙奶奶")
    page.locator("#id_caregiver-birth_year").fill("1957")
    page.locator("#id_caregiver-literacy").select_option("primary")


def test_a_child_director_searches_by_initials_and_registers_a_child(
    world: World, live_server: object, page: Page
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    ChildFactory(name="李华", village=world.village_a1)
    _login(page, base, "alice")

    # zh-Hans by default; she lands on her worklist, then opens her village's children
    expect(page.locator("h1")).to_have_text("今日工作")
    page.locator("nav").get_by_role("link", name="儿童").click()
    expect(page.locator("h1")).to_have_text("儿童")
    expect(page.locator(".childlist")).to_contain_text("张红梅")
    expect(page.locator(".childlist")).to_contain_text("李华")
    expect(page.locator(".childlist")).not_to_contain_text("李小明")  # amy's village
    _no_sideways_scroll(page)
    shot(page, "01-list")

    # pinyin initials, live search through htmx
    page.locator("#id_q").fill("zhm")
    expect(page.locator(".childlist")).not_to_contain_text("李华")
    expect(page.locator(".childlist")).to_contain_text("张红梅")
    shot(page, "02-search-zhm")

    page.locator(".childlist a", has_text="张红梅").click()
    expect(page.locator("h1")).to_contain_text("张红梅")
    expect(page.locator("main")).to_contain_text("广东省东莞市")
    _no_sideways_scroll(page)
    shot(page, "03-profile")

    # register a new child
    page.goto(f"{base}/children/")
    page.get_by_role("link", name="登记儿童").click()
    _fill_registration(page)
    _no_sideways_scroll(page)
    shot(page, "04-register-form")
    btn = page.get_by_role("button", name="登记", exact=True)
    with page.expect_navigation():
        btn.click()
    shot(page, "04b-after-submit")
    errors = page.locator(".error").all_inner_texts()
    assert not errors, errors
    expect(page.locator("h1")).to_contain_text("赵小燕")
    expect(page.locator(".messages")).to_contain_text("赵小燕")
    expect(page.locator("main")).to_contain_text("孙奶奶")
    shot(page, "05-registered")
    assert Child.objects.filter(name="赵小燕", village=world.village_a1).exists()

    # the language switch
    page.get_by_role("button", name="English").click()
    expect(page.locator("main")).to_contain_text("Day-to-day care")


def test_a_bad_registration_shows_the_error_at_the_field_and_keeps_the_input(
    world: World, live_server: object, page: Page
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    _login(page, base, "alice")
    page.goto(f"{base}/children/register/")
    page.locator("#id_child-name").fill("钱多多")
    page.locator("#id_child-sex").select_option("male")
    page.locator("#id_child-birth_date").fill("2099-01-01")
    page.locator("#id_child-school_stage").select_option("primary")
    page.locator("#id_father-name").fill("钱伟")
    page.locator("#id_father-situation").select_option("at_home")
    page.locator("#id_mother-situation").select_option("unknown")
    page.locator("#id_caregiver-relation").select_option("father")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator(".field.has-error")).to_contain_text("出生日期不能晚于今天")
    expect(page.locator("#id_child-name")).to_have_value("钱多多")
    shot(page, "06-error")
    assert not Child.objects.filter(name="钱多多").exists()


def test_a_user_of_another_town_is_refused_the_child_url(
    world: World, live_server: object, page: Page
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    _login(page, base, "bob")
    expect(page.locator("h1")).to_have_text("乡镇看板")
    page.goto(f"{base}/children/")
    expect(page.locator(".childlist")).to_contain_text("王强")
    response = page.goto(f"{base}/children/{world.hongmei.public_id}/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("未找到")
    assert "张红梅" not in page.content()
    edit = page.goto(f"{base}/children/{world.hongmei.public_id}/edit/")
    assert edit is not None and edit.status == 404
    page.goto(f"{base}/children/?q=zhm")
    expect(page.locator(".childlist, .empty")).not_to_contain_text("张红梅")
    assert (
        re.search(r"0\s*(名|child)", page.locator(".count").inner_text())
        or "张红梅" not in page.content()
    )
