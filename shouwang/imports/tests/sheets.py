"""Workbooks for the import tests, written with openpyxl the way a township office would."""

import io
from typing import Any

import openpyxl

from shouwang.imports.columns import COLUMNS
from shouwang.lib.idcard import make_id_number


def good_row(**overrides: Any) -> dict[str, Any]:
    import datetime as dt  # noqa: PLC0415

    row: dict[str, Any] = {
        "village": "东王村",
        "name": "赵小燕",
        "sex": "女",
        "birth_date": "2016-04-12",
        "id_number": make_id_number("410322", dt.date(2016, 4, 12), 124),
        "school_stage": "小学",
        "father_name": "赵军",
        "father_situation": "外出务工",
        "father_work_place": "上海市",
        "father_away_since": "2021-02-20",
        "mother_name": "孙梅",
        "mother_situation": "外出务工",
        "mother_work_place": "浙江省杭州市",
        "mother_away_since": "2021.2.20",
        "carer_relation": "外祖母",
        "carer_name": "孙奶奶",
        "carer_birth_year": 1957,
    }
    row.update(overrides)
    return row


def full_row() -> dict[str, Any]:
    """A row with every DOMAIN.md §8 column the template holds: school, disability,
    parents' years of birth and how often they come home."""
    return good_row(
        school="S镇中心小学",
        health_status="残疾",
        disability_type="肢体残疾",
        disability_grade="二级",
        father_birth_year="1985年",
        father_return_pattern="每年春节回家一次",
        mother_birth_year=1987,
        mother_return_pattern="several_a_year",
    )


def workbook(
    rows: list[dict[str, Any]],
    *,
    lang: str = "zh-hans",
    headers: list[str] | None = None,
    title_rows: int = 0,
    merge_header: bool = False,
) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    keys = [c.key for c in COLUMNS]
    if headers is None:
        headers = [c.header("en" if lang == "en" else "zh-hans") for c in COLUMNS]
    for _ in range(title_rows):
        ws.append(["2024年S镇留守儿童摸底排查"])
    ws.append(headers)
    for row in rows:
        ws.append([row.get(k, "") for k in keys])
    if merge_header:
        ws.merge_cells(
            start_row=title_rows + 1, start_column=2, end_row=title_rows + 1, end_column=3
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
