"""The census template: its columns, in order, and how a row becomes a ``Registration``.

The fields are those of DOMAIN.md §8 (2016 census content) that the registry holds.
Headers are bilingual reference data (``header_zh`` / ``header_en``), not translations:
a sheet filled in Chinese must import whatever language the uploader's browser uses.
Closed values are the registry's own ``TextChoices``; a cell may hold the code, the
Chinese label or the English label.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models
from django.utils import translation

from shouwang.imports.cells import (
    CellError,
    clean_text,
    parse_bool,
    parse_choice,
    parse_date,
    parse_id_number,
    parse_year,
)
from shouwang.registry.domain import (
    CaregiverInput,
    ChildInput,
    HouseholdInput,
    ParentInput,
    Registration,
)
from shouwang.registry.models import (
    Child,
    ChildRelation,
    Household,
    HukouType,
    ParentAbsence,
    Person,
    Sex,
)

TEXT, DATE, ID, YEAR, BOOL, CHOICE, VILLAGE, SCHOOL, GRADE = (
    "text",
    "date",
    "id",
    "year",
    "bool",
    "choice",
    "village",
    "school",
    "grade",
)
# Disability grades (残疾等级) 1-4, as a cell may write them: 1, 一级, 1级, 一.
DISABILITY_GRADES: list[tuple[int, str, str]] = [
    (g, f"{zh}级", str(g)) for g, zh in ((1, "一"), (2, "二"), (3, "三"), (4, "四"))
]

YES_NO: list[tuple[str, str, str]] = [("true", "是", "Yes"), ("false", "否", "No")]
CARER_NONE = "none"


@dataclass(frozen=True)
class Column:
    key: str
    header_zh: str
    header_en: str
    kind: str = TEXT
    required: bool = False
    choices: type[models.TextChoices] | None = None
    max_length: int | None = None
    width: int = 12

    def header(self, lang: str) -> str:
        return self.header_en if lang == "en" else self.header_zh


def _caregiver_choices() -> list[tuple[str, Any]]:
    return [(CARER_NONE, translation.gettext("Nobody")), *ChildRelation.Relation.choices]


COLUMNS: tuple[Column, ...] = (
    Column("village", "村（居）", "Village", VILLAGE, required=True, width=22),
    Column("name", "儿童姓名", "Child's name", required=True, max_length=50),
    Column("sex", "性别", "Sex", CHOICE, required=True, choices=Sex, width=8),
    Column("birth_date", "出生日期", "Date of birth", DATE, required=True),
    Column("id_number", "公民身份号码", "Resident ID number", ID, width=22),
    Column("ethnicity", "民族", "Ethnicity", max_length=20, width=8),
    Column("hukou_type", "户口类型", "Household registration", CHOICE, choices=HukouType),
    Column("school_stage", "就学情况", "Schooling", CHOICE, choices=Child.SchoolStage),
    Column("school", "就读学校", "School", SCHOOL, max_length=200, width=20),
    Column("grade", "年级", "Grade", max_length=20, width=8),
    Column("boarding", "是否寄宿", "Boards at school", BOOL, width=8),
    Column("health_status", "身体状况", "Health", CHOICE, choices=Child.HealthStatus),
    Column("disability_type", "残疾类型", "Type of disability", max_length=50),
    Column("disability_grade", "残疾等级", "Disability grade", GRADE, width=8),
    Column("residence_address", "居住地址", "Where the child lives", max_length=200, width=24),
    Column("household_address", "家庭住址", "Household address", max_length=200, width=24),
    Column(
        "income_source",
        "家庭主要经济来源",
        "Main source of income",
        CHOICE,
        choices=Household.IncomeSource,
    ),
    Column("dibao", "低保", "Minimum living allowance (低保)", BOOL, width=8),
    Column("tekun", "特困", "Extreme-poverty support (特困)", BOOL, width=8),
    Column("poverty_registered", "建档立卡", "Registered poor household", BOOL, width=8),
    Column("father_name", "父亲姓名", "Father's name", max_length=50),
    Column("father_situation", "父亲情况", "Father's situation", CHOICE, choices=Person.Situation),
    Column("father_birth_year", "父亲出生年份", "Father's year of birth", YEAR),
    Column("father_phone", "父亲电话", "Father's phone", max_length=30, width=14),
    Column("father_work_place", "父亲务工地点", "Father works in", max_length=100, width=16),
    Column("father_away_since", "父亲外出时间", "Father away since", DATE),
    Column(
        "father_return_pattern",
        "父亲返乡频率",
        "Father comes home",
        CHOICE,
        choices=ParentAbsence.ReturnPattern,
        width=16,
    ),
    Column("mother_name", "母亲姓名", "Mother's name", max_length=50),
    Column("mother_situation", "母亲情况", "Mother's situation", CHOICE, choices=Person.Situation),
    Column("mother_birth_year", "母亲出生年份", "Mother's year of birth", YEAR),
    Column("mother_phone", "母亲电话", "Mother's phone", max_length=30, width=14),
    Column("mother_work_place", "母亲务工地点", "Mother works in", max_length=100, width=16),
    Column("mother_away_since", "母亲外出时间", "Mother away since", DATE),
    Column(
        "mother_return_pattern",
        "母亲返乡频率",
        "Mother comes home",
        CHOICE,
        choices=ParentAbsence.ReturnPattern,
        width=16,
    ),
    Column("carer_relation", "照料人与儿童关系", "Caregiver is the child's", CHOICE, width=16),
    Column("carer_name", "照料人姓名", "Caregiver's name", max_length=50),
    Column("carer_birth_year", "照料人出生年份", "Caregiver's year of birth", YEAR),
    Column("carer_phone", "照料人电话", "Caregiver's phone", max_length=30, width=14),
    Column("confirmed_by_guardian", "监护人已确认", "Confirmed by parent or caregiver", BOOL),
    Column("notes", "备注", "Notes", max_length=1000, width=24),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


def choices_of(column: Column) -> list[tuple[str, Any]]:
    if column.key == "carer_relation":
        return _caregiver_choices()
    if column.kind == BOOL:
        return [(code, zh) for code, zh, _en in YES_NO]
    if column.kind == GRADE:
        return [(str(g), zh) for g, zh, _n in DISABILITY_GRADES]
    assert column.choices is not None  # noqa: S101
    return list(column.choices.choices)


@cache
def _lookup(key: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """Code, Chinese label and English label (lower case) -> code; and the Chinese labels."""
    column = COLUMN_BY_KEY[key]
    table: dict[str, str] = {}
    shown: list[str] = []
    for lang in ("en", "zh-hans"):
        with translation.override(lang):
            for code, label in choices_of(column):
                table[str(label).lower()] = code
                table[code.lower()] = code
                if lang == "zh-hans":
                    shown.append(str(label))
    return table, tuple(shown)


def labels(column: Column, lang: str) -> list[str]:
    """The drop-down list of a closed column, in the template's language."""
    if column.kind == BOOL:
        return [en if lang == "en" else zh for _code, zh, en in YES_NO]
    if column.kind == GRADE:
        return [n if lang == "en" else zh for _g, zh, n in DISABILITY_GRADES]
    with translation.override("en" if lang == "en" else "zh-hans"):
        return [str(label) for _code, label in choices_of(column)]


def label_for(column: Column, code: str, lang: str) -> str:
    if not code:
        return ""
    if column.kind == GRADE:
        return next(
            (n if lang == "en" else zh for g, zh, n in DISABILITY_GRADES if str(g) == code), code
        )
    with translation.override("en" if lang == "en" else "zh-hans"):
        for value, label in choices_of(column):
            if value == code:
                return str(label)
    return code


def _read(column: Column, raw: object) -> Any:
    reader = _READERS.get(column.kind)
    if reader is not None:
        return reader(raw)
    if column.kind == CHOICE:
        table, shown = _lookup(column.key)
        return parse_choice(raw, table, list(shown))
    text = clean_text(raw)
    if column.max_length and len(text) > column.max_length:
        raise CellError(
            translation.gettext("At most %(n)d characters, please.") % {"n": column.max_length}
        )
    return text


def _parse_grade(raw: object) -> int | None:
    if raw is None or raw == "":
        return None
    text = clean_text(raw).removesuffix("级")
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    for grade, zh, _n in DISABILITY_GRADES:
        if text in (str(grade), zh.removesuffix("级")):
            return grade
    raise CellError(translation.gettext("Please write a disability grade from 1 to 4."))


_READERS = {
    DATE: parse_date,
    ID: parse_id_number,
    YEAR: parse_year,
    BOOL: parse_bool,
    GRADE: _parse_grade,
}


@dataclass
class ParsedRow:
    """One sheet row read into typed values; ``errors`` maps a column key to messages."""

    row_number: int
    values: dict[str, Any]
    errors: dict[str, list[str]]


def parse_row(row_number: int, raw: dict[str, object]) -> ParsedRow:
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for column in COLUMNS:
        cell = raw.get(column.key, "")
        try:
            value = _read(column, cell)
        except CellError as exc:
            errors.setdefault(column.key, []).append(exc.message)
            value = None
        values[column.key] = value
        if column.required and value in (None, "") and column.key not in errors:
            errors.setdefault(column.key, []).append(
                translation.gettext("This column must be filled in.")
            )
    return ParsedRow(row_number=row_number, values=values, errors=errors)


class RowParser:
    """``parse_row`` for a whole sheet: each column's cells are read once per distinct
    value (a census repeats villages, labels, dates and places row after row). Same
    values and messages as ``parse_row``; the cache lives as long as the parser (one
    sheet, one language)."""

    def __init__(self) -> None:
        self.memo: dict[str, dict[object, tuple[Any, str | None]]] = {c.key: {} for c in COLUMNS}
        self.required = translation.gettext("This column must be filled in.")

    def __call__(self, row_number: int, raw: dict[str, object]) -> ParsedRow:
        values: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for column in COLUMNS:
            cell = raw.get(column.key, "")
            memo = self.memo[column.key]
            key = cell if type(cell) is str else (type(cell), cell)  # 1, 1.0, True: not one
            found = memo.get(key)
            if found is None:
                try:
                    found = (_read(column, cell), None)
                except CellError as exc:
                    found = (None, exc.message)
                memo[key] = found
            value, message = found
            if message is not None:
                errors[column.key] = [message]
            values[column.key] = value
            if column.required and value in (None, "") and message is None:
                errors.setdefault(column.key, []).append(self.required)
        return ParsedRow(row_number=row_number, values=values, errors=errors)

    def many(
        self, rows: Sequence[tuple[int, Sequence[object]]], index: dict[str, int]
    ) -> list[ParsedRow]:
        """``__call__`` for many sheet rows (``(row number, cells)``; ``index``: where each
        column's cells are), the same answers, a column at a time: a column's cells are
        looked up in its memo in one tight loop, and each row's values zipped together."""
        keys = [c.key for c in COLUMNS]
        columns: list[list[tuple[Any, str | None]]] = []
        problems: list[tuple[str, list[tuple[int, str]]]] = []
        for column in COLUMNS:
            memo = self.memo[column.key]
            source = index.get(column.key)
            if source is None:
                cells: Sequence[object] = [""] * len(rows)
            else:
                cells = [r[source] if source < len(r) else "" for _n, r in rows]
            found = []
            append = found.append
            for cell in cells:
                key = cell if cell.__class__ is str else (type(cell), cell)
                got = memo.get(key)
                if got is None:
                    try:
                        got = (_read(column, cell), None)
                    except CellError as exc:
                        got = (None, exc.message)
                    memo[key] = got
                append(got)
            bad = [
                (i, got[1])
                for i, got in enumerate(found)
                if got[1] is not None or (column.required and got[0] in (None, ""))
            ]
            if bad:
                problems.append(
                    (column.key, [(i, m if m is not None else self.required) for i, m in bad])
                )
            columns.append(found)
        parsed = [
            ParsedRow(
                row_number=n, values=dict(zip(keys, (v for v, _m in found), strict=True)), errors={}
            )
            for (n, _cells), found in zip(rows, zip(*columns, strict=True), strict=True)
        ]
        for key, bad in problems:
            for i, message in bad:
                parsed[i].errors[key] = [message]
        return parsed


def _parent(v: dict[str, Any], who: str) -> ParentInput:
    situation = v[f"{who}_situation"] or (
        Person.Situation.UNKNOWN if not v[f"{who}_name"] else Person.Situation.AT_HOME
    )
    return ParentInput(
        situation=situation,
        name=v[f"{who}_name"] or "",
        phone=v[f"{who}_phone"] or "",
        birth_year=v[f"{who}_birth_year"],
        work_place=v[f"{who}_work_place"] or "",
        away_since=v[f"{who}_away_since"],
        return_pattern=v[f"{who}_return_pattern"] or "",
    )


def to_registration(v: dict[str, Any]) -> Registration:
    """The same ``Registration`` the web form builds, with the form's defaults for blanks.
    The school (a cell naming an organisation) is found by the caller (``_Schools``)."""
    birth: dt.date = v["birth_date"]
    return Registration(
        child=ChildInput(
            name=v["name"],
            sex=v["sex"],
            birth_date=birth,
            hukou_type=v["hukou_type"] or HukouType.RURAL,
            school_stage=v["school_stage"] or Child.SchoolStage.PRIMARY,
            health_status=v["health_status"] or Child.HealthStatus.HEALTHY,
            id_number=v["id_number"] or "",
            ethnicity=v["ethnicity"] or "",
            residence_address=v["residence_address"] or "",
            grade=v["grade"] or "",
            boarding=bool(v["boarding"]),
            disability_type=v["disability_type"] or "",
            disability_grade=v["disability_grade"],
            confirmed_by_guardian=bool(v["confirmed_by_guardian"]),
            notes=v["notes"] or "",
        ),
        household=HouseholdInput(
            address=v["household_address"] or "",
            main_income_source=v["income_source"] or "",
            dibao=bool(v["dibao"]),
            tekun=bool(v["tekun"]),
            poverty_registered=bool(v["poverty_registered"]),
        ),
        father=_parent(v, "father"),
        mother=_parent(v, "mother"),
        caregiver=CaregiverInput(
            relation=v["carer_relation"] or CARER_NONE,
            name=v["carer_name"] or "",
            birth_year=v["carer_birth_year"],
            phone=v["carer_phone"] or "",
        ),
    )


# Which column a registry.domain error key ("father.away_since") belongs to.
DOMAIN_KEY_TO_COLUMN: dict[str, str] = {
    "child.name": "name",
    "child.birth_date": "birth_date",
    "child.id_number": "id_number",
    "child.disability_grade": "disability_grade",
    "child.disability_type": "disability_type",
    "child.school": "school",
    "child.village": "village",
    "caregiver.relation": "carer_relation",
    "caregiver.name": "carer_name",
    "caregiver.birth_year": "carer_birth_year",
    **{
        f"{who}.{field}": f"{who}_{col}"
        for who in ("father", "mother")
        for field, col in (
            ("name", "name"),
            ("work_place", "work_place"),
            ("away_since", "away_since"),
            ("return_pattern", "return_pattern"),
            ("birth_year", "birth_year"),
            ("incapacity_reason", "situation"),
            ("restriction_term_months", "situation"),
        )
    },
}


def column_for(domain_key: str) -> str:
    return DOMAIN_KEY_TO_COLUMN.get(domain_key, "name")
