"""Writing workbooks (xlsxwriter): the census template, the registry export in the same
layout, and the error report of a checked upload with its problem cells marked.
"""

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from shouwang.geo.models import Area
from shouwang.imports.columns import (
    BOOL,
    CHOICE,
    COLUMNS,
    DATE,
    GRADE,
    ID,
    SCHOOL,
    VILLAGE,
    label_for,
    labels,
)
from shouwang.imports.reader import Sheet

TEMPLATE_ROWS = 5000  # rows that carry the drop-down lists and formats


def village_label(village: Area) -> str:
    parent = village.parent.name_zh if village.parent else ""
    return f"{parent}·{village.name_zh}" if parent else village.name_zh


def _sheet_name(lang: str) -> str:
    return "Census" if lang == "en" else "儿童摸底登记"


def _formats(book: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        "head": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "required": book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1}),
        "text": book.add_format({"num_format": "@"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "bad": book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        "warn": book.add_format({"bg_color": "#FFEB9C"}),
    }


def _header(
    book: xlsxwriter.Workbook, ws: Any, lang: str, fmt: dict[str, Any], row: int = 0
) -> None:
    for i, column in enumerate(COLUMNS):
        ws.write_string(row, i, column.header(lang), fmt["required" if column.required else "head"])
        if column.kind == ID:
            ws.set_column(i, i, column.width, fmt["text"])
        elif column.kind == DATE:
            ws.set_column(i, i, column.width, fmt["date"])
        else:
            ws.set_column(i, i, column.width)
    ws.freeze_panes(row + 1, 2)


def template(*, lang: str, villages: Iterable[Area], schools: Iterable[Any] = ()) -> bytes:
    """The blank census template: headers, formats, and drop-down lists for closed values
    (and for the villages and schools the downloader may import into)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    fmt = _formats(book)
    ws = book.add_worksheet(_sheet_name(lang))
    lists = book.add_worksheet("lists")
    _header(book, ws, lang, fmt)
    for i, column in enumerate(COLUMNS):
        if column.kind == VILLAGE:
            values = [village_label(v) for v in villages]
        elif column.kind == SCHOOL:
            values = sorted(
                {s.name_zh if lang != "en" else (s.name_en or s.name_zh) for s in schools}
            )
        elif column.kind in (CHOICE, BOOL, GRADE):
            values = labels(column, lang)
        else:
            continue
        if not values:
            continue
        lists.write_column(0, i, values)
        letter = xlsxwriter.utility.xl_col_to_name(i)
        ws.data_validation(
            1,
            i,
            TEMPLATE_ROWS,
            i,
            {
                "validate": "list",
                "source": f"=lists!${letter}$1:${letter}${len(values)}",
                "error_title": _("Not in the list"),
                "error_message": _("Please choose a value from the list."),
            },
        )
    id_col = next(i for i, c in enumerate(COLUMNS) if c.kind == ID)
    ws.write_comment(
        0,
        id_col,
        _(
            "Type the 18-character number as text. A number typed as a number loses its "
            "last digits in Excel and is refused by the import."
        ),
    )
    lists.hide()
    book.close()
    return out.getvalue()


def export(*, lang: str, rows: Iterable[dict[str, Any]], villages: Iterable[Area]) -> bytes:
    """The registry in the template's layout (so an export can be imported again)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    fmt = _formats(book)
    ws = book.add_worksheet(_sheet_name(lang))
    _header(book, ws, lang, fmt)
    for r, values in enumerate(rows, start=1):
        for i, column in enumerate(COLUMNS):
            value = values.get(column.key)
            if value in (None, ""):
                continue
            if column.kind in (CHOICE, BOOL, GRADE):
                code = ("true" if value else "false") if column.kind == BOOL else str(value)
                ws.write_string(r, i, label_for(column, code, lang))
            elif isinstance(value, dt.date):
                ws.write_string(r, i, value.isoformat())
            elif isinstance(value, int):
                ws.write_number(r, i, value)
            else:
                ws.write_string(r, i, str(value))
    book.close()
    return out.getvalue()


def error_report(*, sheet: Sheet, issues: list[dict[str, Any]]) -> bytes:
    """The uploaded rows where they were, each problem cell coloured and commented, and a
    last column listing the row's problems."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    fmt = _formats(book)
    ws = book.add_worksheet(sheet.sheet_name[:31])
    lang = sheet.language
    header_row = sheet.header_row - 1
    keys = [c.key for c in COLUMNS]
    _header(book, ws, "en" if lang == "en" else "zh-hans", fmt, row=header_row)
    problems_col = len(COLUMNS)
    ws.write_string(header_row, problems_col, _("Problems"), fmt["required"])
    ws.set_column(problems_col, problems_col, 60)
    by_cell: dict[tuple[int, str], list[dict[str, Any]]] = {}
    by_row: dict[int, list[str]] = {}
    for issue in issues:
        by_cell.setdefault((issue["row"], issue["column"]), []).append(issue)
        by_row.setdefault(issue["row"], []).append(issue["message"])
    for row_number, cells in sheet.rows:
        r = row_number - 1
        for key, source in sheet.columns.items():
            i = keys.index(key)
            value = cells[source] if source < len(cells) else ""
            found = by_cell.get((row_number, key), [])
            style = None
            if found:
                style = fmt["bad"] if any(x["level"] == "error" for x in found) else fmt["warn"]
            text = _as_text(value)
            ws.write_string(r, i, text, style) if style else ws.write_string(r, i, text)
            if found:
                ws.write_comment(r, i, "\n".join(x["message"] for x in found))
        if row_number in by_row:
            ws.write_string(r, problems_col, "；".join(by_row[row_number]))
    book.close()
    return out.getvalue()


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value)
