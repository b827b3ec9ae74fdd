"""A township supervisor's census, end to end: download the template, fill it, upload it,
see the error, fix it, import, and review and merge the duplicate the two villages made."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from shouwang.imports.columns import COLUMNS
from shouwang.imports.tests.sheets import good_row
from shouwang.lib.idcard import make_id_number
from shouwang.registry.models import Child
from shouwang.testing.world import PASSWORD, World
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()


def _fill(template: Path, rows: list[dict[str, object]], out: Path) -> None:
    """What the township office does: open the downloaded template and type the rows."""
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    keys = [c.key for c in COLUMNS]
    for row in rows:
        sheet.append([row.get(k, "") for k in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    out.write_bytes(buffer.getvalue())


def _upload(page: Page, path: Path) -> None:
    page.locator("input[type=file]").set_input_files(str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="检查表格").click()


def test_a_supervisor_imports_a_census_and_merges_a_duplicate(
    world: World, live_server: object, page: Page, tmp_path: Path
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    _login(page, base, "sam")
    page.goto(f"{base}/children/")
    page.get_by_role("link", name="导入摸底排查数据").click()
    with page.expect_download() as download:
        page.locator("[data-testid=template-zh-hans]").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    born = dt.date(2016, 4, 12)
    first = good_row(village="东王村", name="赵小燕", id_number=make_id_number("410322", born, 124))
    # The same girl, registered again by the neighbouring village, without her ID number.
    second = good_row(village="西李村", name="赵小燕", id_number="", mother_away_since="2021-02-20")
    broken = good_row(
        village="西李村", name="钱多多", sex="男", birth_date="2099-01-01", id_number=""
    )
    sheet = tmp_path / "census.xlsx"
    _fill(template, [first, second, broken], sheet)

    _upload(page, sheet)
    expect(page.locator("[data-testid=issues]")).to_contain_text("出生日期")
    expect(page.get_by_role("button", name="导入")).to_have_count(0)
    shot(page, "30-census-errors")
    assert not Child.objects.filter(name="赵小燕").exists()  # nothing written

    broken["birth_date"] = "2015-09-01"
    _fill(template, [first, second, broken], sheet)
    page.goto(f"{base}/imports/census/")
    _upload(page, sheet)
    with page.expect_navigation():
        page.get_by_role("button", name="导入3名儿童").click()
    expect(page.locator(".messages")).to_contain_text("已导入")
    assert Child.objects.filter(name="赵小燕").count() == 2

    call_command("duplicates", "find")  # the nightly linkage run
    page.goto(f"{base}/children/")
    page.get_by_role("link", name="疑似重复记录").click()
    page.locator("main a", has_text="赵小燕").first.click()
    shot(page, "31-duplicate-pair")
    with page.expect_navigation():
        page.get_by_role("button", name="同一名儿童").click()
    with page.expect_navigation():
        page.get_by_role("button", name="保留记录甲").click()
    expect(page.locator(".messages")).to_contain_text("合并")
    page.goto(f"{base}/children/?q=zhaoxiaoyan")
    expect(page.locator(".childlist li")).to_have_count(1)
    shot(page, "32-merged")
