"""Opening an uploaded workbook with python-calamine and finding the census table in it.

Everything that makes a file unreadable as a whole (not a workbook, corrupt, password
protected, too large, merged or unknown header cells, missing columns, no data) raises
``BadFile`` with a translated message; nothing is written in that case.
"""

import io
from dataclasses import dataclass

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

from shouwang.imports.columns import COLUMNS

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and encrypted .xlsx
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
HEADER_SEARCH_ROWS = 5  # a title row or two above the headers is common


class BadFile(Exception):  # noqa: N818  (reads as the situation it names)
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    sheet_name: str
    header_row: int  # 1-based row number of the header row
    columns: dict[str, int]  # column key -> 0-based index in the sheet
    rows: list[tuple[int, list[object]]]  # (1-based row number, cells)
    language: str  # "zh-hans" or "en": the language of the headers found


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS:
        for header in (column.header_zh, column.header_en, column.key):
            index[_norm(header)] = column.key
    return index


def _norm(text: object) -> str:
    import unicodedata  # noqa: PLC0415

    value = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(value.split()).lower().rstrip("*")


def check_size(size: int) -> None:
    limit = settings.SHOUWANG_IMPORT_MAX_BYTES
    if size > limit:
        raise BadFile(
            _("The file is %(size)s MB; the largest accepted is %(limit)s MB. Split the sheet.")
            % {"size": f"{size / 1e6:.1f}", "limit": f"{limit / 1e6:g}"}
        )


def open_workbook(content: bytes) -> python_calamine.CalamineWorkbook:
    check_size(len(content))
    if not content:
        raise BadFile(_("The file is empty."))
    head = content[:8]
    if head == OLE_MAGIC and ENCRYPTED_MARK in content[:1_000_000]:
        raise BadFile(
            _(
                "The workbook is protected by a password. Open it in Excel or WPS, remove the "
                "password (文件 → 信息 → 保护工作簿), save, and upload it again."
            )
        )
    if head[:4] != ZIP_MAGIC and head != OLE_MAGIC:
        raise BadFile(
            _(
                "This file is not an Excel workbook (it may be a CSV or text file renamed "
                ".xlsx). Open it in Excel or WPS and save it as “Excel 工作簿 (.xlsx)”."
            )
        )
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except python_calamine.PasswordError:
        raise BadFile(
            _("The workbook is protected by a password. Remove the password and upload again.")
        ) from None
    except Exception:
        raise BadFile(
            _(
                "The workbook is damaged and cannot be read. Open it in Excel or WPS, save it "
                "again as .xlsx, and upload it again."
            )
        ) from None


def read_sheet(content: bytes) -> Sheet:
    """The first sheet whose headers are the template's; every data row below them."""
    workbook = open_workbook(content)
    index = _header_index()
    problems: list[str] = []
    try:
        names = workbook.sheet_names
        for name in names:
            sheet = workbook.get_sheet_by_name(name)
            try:
                data = sheet.to_python(skip_empty_area=False)
            except Exception:
                raise BadFile(_("The sheet %(name)s cannot be read.") % {"name": name}) from None
            found = _find_header(data, index)
            if found is None:
                continue
            header_row, columns, language, unknown = found
            merged = [
                r for r in (sheet.merged_cell_ranges or []) if r[0][0] <= header_row <= r[1][0]
            ]
            if merged:
                raise BadFile(
                    _(
                        "The header row of sheet %(name)s has merged cells. Please unmerge them "
                        "(one header per column, as in the template) and upload again."
                    )
                    % {"name": name}
                )
            if unknown:
                problems.append(
                    _(
                        "Columns we do not know: %(cols)s. Please remove them or use the "
                        "template's headers."
                    )
                    % {"cols": "、".join(unknown)}
                )
            missing = [c.header(language) for c in COLUMNS if c.required and c.key not in columns]
            if missing:
                problems.append(
                    _("Required columns are missing: %(cols)s.") % {"cols": "、".join(missing)}
                )
            if problems:
                raise BadFile(" ".join(problems))
            rows = [
                (header_row + 1 + i + 1, list(cells))
                for i, cells in enumerate(data[header_row + 1 :])
                if cells.count("") + cells.count(None) < len(cells)  # not an empty row
            ]
            if not rows:
                raise BadFile(_("The sheet %(name)s has headers but no rows.") % {"name": name})
            return Sheet(name, header_row + 1, columns, rows, language)
    finally:
        workbook.close()
    if not names:
        raise BadFile(_("The workbook has no sheet."))
    raise BadFile(
        _(
            "No sheet has the census template's headers (such as 儿童姓名, 性别, 出生日期). "
            "Please download the template and copy your rows into it."
        )
    )


def _find_header(
    data: list[list[object]], index: dict[str, str]
) -> tuple[int, dict[str, int], str, list[str]] | None:
    zh = {_norm(c.header_zh) for c in COLUMNS}
    for r, cells in enumerate(data[:HEADER_SEARCH_ROWS]):
        keys = [index.get(_norm(c)) for c in cells]
        if sum(1 for k in keys if k) < 3:
            continue
        columns: dict[str, int] = {}
        unknown: list[str] = []
        for i, (cell, key) in enumerate(zip(cells, keys, strict=True)):
            if key is None:
                if str(cell or "").strip():
                    unknown.append(str(cell).strip())
                continue
            columns.setdefault(key, i)
        language = "zh-hans" if any(_norm(c) in zh for c in cells) else "en"
        return r, columns, language, unknown
    return None
