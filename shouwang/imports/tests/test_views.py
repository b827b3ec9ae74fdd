"""Census pages over HTTP: template, upload, preview, error report, commit, export, denials."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from shouwang.audit.models import AuditEvent
from shouwang.imports.models import ImportJob
from shouwang.imports.tests.sheets import full_row, good_row, workbook
from shouwang.registry.models import Child
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db


def _upload(client: Client, world: World, content: bytes, name: str = "c.xlsx"):
    return client.post(
        "/imports/census/",
        {"area": world.town_a.code, "file": SimpleUploadedFile(name, content)},
    )


def test_the_template_downloads_in_chinese_and_english_with_drop_down_lists(
    world: World, client: Client
) -> None:
    client.force_login(world.sam)
    for lang, header in (("zh-hans", "儿童姓名"), ("en", "Child's name")):
        response = client.get(f"/imports/census/template/?lang={lang}")
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        ws = book.worksheets[0]
        assert ws.cell(1, 2).value == header
        assert len(ws.data_validations.dataValidation) >= 10
        villages = [c.value for c in book["lists"]["A"]]
        assert "S镇·东王村" in villages
        assert "Q镇·南张村" not in villages  # sam's township only
        headers = [c.value for c in ws[1]]
        lists = {
            h: [c.value for c in col if c.value]
            for h, col in zip(headers, book["lists"].iter_cols(max_col=len(headers)), strict=False)
        }
        if lang == "en":
            for h in (
                "School",
                "Type of disability",
                "Disability grade",
                "Father's year of birth",
                "Mother comes home",
            ):
                assert h in headers, h
            assert lists["School"] == ["S-town central primary"]
            assert lists["Disability grade"] == ["1", "2", "3", "4"]
            assert "Once a year, at Spring Festival" in lists["Father comes home"]
        else:
            for h in ("就读学校", "残疾类型", "残疾等级", "父亲出生年份", "母亲返乡频率"):
                assert h in headers, h
            assert lists["就读学校"] == ["S镇中心小学"]
            assert lists["残疾等级"] == ["一级", "二级", "三级", "四级"]


def test_upload_preview_report_fix_and_commit(world: World, client: Client) -> None:
    client.force_login(world.sam)
    bad = workbook([good_row(), good_row(name="钱多多", id_number=4.1e17)])
    response = _upload(client, world, bad)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    page = client.get(f"/imports/census/{job.public_id}/").content.decode()
    assert "Excel" in page  # the how-to-fix message of row 3's ID number
    report = client.get(f"/imports/census/{job.public_id}/errors.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(report.content)).worksheets[0]
    assert ws.cell(3, 5).comment is not None  # row 3, ID number column, marked
    assert ws.cell(3, 5).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(2, 5).comment is None
    client.post(f"/imports/census/{job.public_id}/", {"action": "commit"})
    assert not Child.objects.filter(name="赵小燕").exists()  # errors: nothing imported

    good = workbook([good_row(), good_row(name="钱多多", id_number="")])
    _upload(client, world, good)
    job = ImportJob.objects.order_by("-created_at").first()
    response = client.post(f"/imports/census/{job.public_id}/", {"action": "commit"})
    assert response.status_code == 302
    assert Child.objects.filter(name__in=["赵小燕", "钱多多"]).count() == 2


def test_a_bad_file_gets_a_clear_error_and_nothing_is_kept(world: World, client: Client) -> None:
    client.force_login(world.sam)
    response = _upload(client, world, b"name,sex\n1,2\n", "renamed.xlsx")
    assert response.status_code == 200
    assert "CSV" in response.content.decode() or "csv" in response.content.decode()
    assert not ImportJob.objects.exists()


@override_settings(SHOUWANG_IMPORT_MAX_BYTES=100_000)
def test_a_large_upload_is_refused_before_it_is_read(world: World, client: Client) -> None:
    client.force_login(world.sam)
    response = _upload(client, world, b"PK\x03\x04" + b"\x00" * 400_000)
    assert response.status_code == 200
    assert "MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_another_supervisor_cannot_see_an_upload(world: World, client: Client) -> None:
    client.force_login(world.sam)
    _upload(client, world, workbook([good_row()]))
    job = ImportJob.objects.get()
    client.force_login(world.bob)
    for url in (
        f"/imports/census/{job.public_id}/",
        f"/imports/census/{job.public_id}/errors.xlsx",
        f"/imports/census/{job.public_id}/progress/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/imports/census/{job.public_id}/", {"action": "commit"}).status_code == 404
    assert not Child.objects.filter(name="赵小燕").exists()


def test_the_export_holds_the_exporters_area_only_and_imports_back_unchanged(
    world: World, client: Client
) -> None:
    client.force_login(world.sam)
    _upload(client, world, workbook([full_row()]))
    job = ImportJob.objects.get()
    client.post(f"/imports/census/{job.public_id}/", {"action": "commit"})
    response = client.get("/imports/census/export/")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = {ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert {"张红梅", "李小明", "赵小燕"} <= names
    assert "王强" not in names  # Q-town's child
    headers = [c.value for c in ws[1]]
    (row,) = [
        dict(zip(headers, (c.value for c in r), strict=True))
        for r in ws.iter_rows(min_row=2)
        if r[1].value == "赵小燕"
    ]
    assert (row["就读学校"], row["残疾类型"], row["残疾等级"]) == (
        "S镇中心小学",
        "肢体残疾",
        "二级",
    )
    assert (row["父亲出生年份"], row["母亲出生年份"]) == (1985, 1987)
    assert row["父亲返乡频率"] == "每年春节回家一次"
    assert AuditEvent.objects.filter(action="registry.exported", actor=world.sam).exists()
    before = Child.objects.count()
    _upload(client, world, response.content)
    again = ImportJob.objects.order_by("-created_at").first()
    assert again.error_count == 0, again.issues
    assert again.new_rows == 0
    client.post(f"/imports/census/{again.public_id}/", {"action": "commit"})
    assert Child.objects.count() == before


def test_a_child_director_may_import_but_not_export(world: World, client: Client) -> None:
    client.force_login(world.alice)
    assert client.get("/imports/census/").status_code == 200
    assert client.get("/imports/census/export/").status_code == 403


def test_a_county_officer_may_export_but_not_import(world: World, client: Client) -> None:
    client.force_login(world.carl)
    assert client.get("/imports/census/").status_code == 403
    response = client.get("/imports/census/export/?lang=en")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert ws.cell(1, 2).value == "Child's name"
    assert ws.max_row == 4  # all three children of the county


@pytest.mark.parametrize("persona", ["nora", "pat", "rita", "tina"])
def test_people_without_the_capability_are_refused(
    world: World, client: Client, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    assert client.get("/imports/census/").status_code == 403
    assert client.get("/imports/census/template/").status_code == 403
