"""Parameters as data: the national defaults as DOMAIN.md gives them, resolution by place and
date, and overlays from JSON."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from shouwang.rules.engine import (
    NATIONAL,
    Parameter,
    ParameterError,
    ParameterSet,
    load_overlay,
    overlay_from_json,
)
from shouwang.rules.engine.citations import GUOFA_2016_13
from shouwang.rules.engine.params import ParamReader
from shouwang.rules.tests import situation

# key: (value, document number or article, grade, unconfirmed) on 2026-03-01
NATIONAL_DEFAULTS = {
    "left_behind.age_limit": (16, "国发〔2016〕13号", "V2", False),
    "left_behind.count_dead_or_divorced_as_incapable": (False, "国发〔2016〕13号", "V2", False),
    "living_alone.age_limit": (16, "第二十一条第二款", "V1", False),
    "in_difficulty.age_limit": (18, "国发〔2016〕36号", "V2", False),
    "fuc.age_limit": (18, "民发〔2019〕62号", "V2", False),
    "fuc.extend_while_in_education": (False, "粤民规字〔2019〕10号", "V2", False),
    "fuc.situations_both_parents": (
        (
            "severe_disability",
            "serious_illness",
            "imprisoned",
            "compulsory_rehab",
            "other_liberty_restriction",
            "lost_contact",
            "guardianship_revoked",
        ),
        "民发〔2020〕125号",
        "V2",
        True,
    ),
    "fuc.situations_other_parent": (
        (
            "severe_disability",
            "serious_illness",
            "imprisoned",
            "compulsory_rehab",
            "other_liberty_restriction",
            "lost_contact",
            "guardianship_revoked",
            "deported",
        ),
        "民发〔2020〕125号",
        "V2",
        True,
    ),
    "fuc.deportation_counts_in_both_parents_branch": (False, "民发〔2020〕125号", "V2", True),
    "fuc.lost_contact_min_days": (180, "民发〔2019〕62号", "V2", False),
    "fuc.restriction_min_months": (6, "民发〔2019〕62号", "V2", False),
    "fuc.severe_disability_any_type_grades": ((1, 2), "民发〔2019〕62号", "V2", False),
    "fuc.severe_disability_specific_grades": ((3, 4), "民发〔2019〕62号", "V2", False),
    "fuc.severe_disability_specific_types": (
        ("mental", "intellectual"),
        "民发〔2019〕62号",
        "V2",
        False,
    ),
    "fuc.township_working_days": (15, "民发〔2019〕62号", "R", True),
    "fuc.county_working_days": (15, "民发〔2019〕62号", "R", True),
    "contact.max_days_without_contact": (7, "第二十三条", "V1", False),
    "unattended.age_limit": (8, "第二十一条第一款", "V1", False),
    "civil_capacity.full_age": (18, "第十八条", "V1", False),
    "civil_capacity.self_supporting_age": (16, "第十八条", "V1", False),
}
TODAY = dt.date(2026, 3, 1)


def test_every_national_parameter_is_listed_here() -> None:
    assert set(NATIONAL.keys()) == set(NATIONAL_DEFAULTS)


@pytest.mark.parametrize(("key", "expected"), NATIONAL_DEFAULTS.items())
def test_national_defaults_with_their_citation_and_grade(key: str, expected: tuple) -> None:
    value, cited, grade, unconfirmed = expected

    parameter = NATIONAL.resolve(key, asof=TODAY)

    assert parameter.value == value
    assert cited in (parameter.citation.number, parameter.citation.article)
    assert parameter.citation.grade == grade
    assert parameter.unconfirmed is unconfirmed
    assert parameter.jurisdiction == "national"
    assert parameter.note


@pytest.mark.parametrize(
    "key",
    [
        "left_behind.count_dead_or_divorced_as_incapable",
        "fuc.extend_while_in_education",
    ],
)
def test_provincial_options_are_labelled_not_national(key: str) -> None:
    assert NATIONAL.resolve(key, asof=TODAY).note.startswith("Not national: provincial option")


@pytest.mark.parametrize("key", ["fuc.township_working_days", "fuc.county_working_days"])
def test_the_fuc_step_deadlines_are_labelled_unconfirmed(key: str) -> None:
    parameter = NATIONAL.resolve(key, asof=TODAY)

    assert parameter.note.startswith("[R]")
    assert parameter.citation.grade == "R"


def test_the_62hao_situation_list_applies_before_125hao() -> None:
    before = NATIONAL.resolve("fuc.situations_both_parents", asof=dt.date(2020, 12, 31))
    after = NATIONAL.resolve("fuc.situations_both_parents", asof=dt.date(2021, 1, 1))

    assert "guardianship_revoked" not in before.value
    assert "guardianship_revoked" in after.value
    assert before.citation.number == "民发〔2019〕62号"


def _param(jurisdiction: str, value: bool, start: str = "2018-01-01", end: Any = None) -> dict:
    return {
        "key": "left_behind.count_dead_or_divorced_as_incapable",
        "value": value,
        "effective_from": start,
        "effective_to": end,
        "jurisdiction": jurisdiction,
        "citation": {"title": "示例", "issuer": "示例", "grade": "V2"},
    }


LAYERED = overlay_from_json(
    {"parameters": [_param("51", True), _param("510104", False), _param("52", True, "2024-01-01")]}
)
KEY = "left_behind.count_dead_or_divorced_as_incapable"


@pytest.mark.parametrize(
    ("province", "county", "asof", "value", "jurisdiction"),
    [
        ("51", "510104", TODAY, False, "510104"),
        ("51", "510105", TODAY, True, "51"),
        (None, "510105", TODAY, True, "51"),
        ("51", None, TODAY, True, "51"),
        ("53", None, TODAY, False, "national"),
        (None, None, TODAY, False, "national"),
        ("52", None, dt.date(2023, 12, 31), False, "national"),
        ("52", None, dt.date(2024, 1, 1), True, "52"),
        ("51", None, dt.date(2017, 12, 31), False, "national"),
    ],
    ids=[
        "county-over-province",
        "province-over-national",
        "province-from-county-code",
        "province-only",
        "other-province",
        "no-place",
        "before-effective",
        "from-effective",
        "province-not-yet",
    ],
)
def test_county_overrides_province_overrides_national(
    province: str | None, county: str | None, asof: dt.date, value: bool, jurisdiction: str
) -> None:
    parameter = LAYERED.resolve(KEY, asof=asof, province_code=province, county_code=county)

    assert (parameter.value, parameter.jurisdiction) == (value, jurisdiction)


@pytest.mark.parametrize(
    ("asof", "jurisdiction"),
    [(dt.date(2024, 12, 31), "41"), (dt.date(2025, 1, 1), "national")],
)
def test_effective_to_is_inclusive(asof: dt.date, jurisdiction: str) -> None:
    params = overlay_from_json({"parameters": [_param("41", True, "2024-01-01", "2024-12-31")]})

    assert params.resolve(KEY, asof=asof, province_code="41").jurisdiction == jurisdiction


def test_the_reader_uses_the_situations_place_and_date_and_remembers_what_it_read() -> None:
    read = ParamReader(LAYERED, situation(county_code="510104"), [KEY])

    assert read(KEY) is False
    assert [p.jurisdiction for p in read.used] == ["510104"]


def test_a_rule_cannot_read_a_parameter_it_does_not_declare() -> None:
    read = ParamReader(NATIONAL, situation(), ["left_behind.age_limit"])

    with pytest.raises(KeyError, match="does not declare"):
        read("fuc.age_limit")


def test_an_unknown_key_or_a_date_before_any_value_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="unknown parameter"):
        NATIONAL.resolve("no.such", asof=TODAY)
    with pytest.raises(KeyError, match="no value"):
        NATIONAL.resolve("fuc.age_limit", asof=dt.date(2019, 1, 1))


def test_two_values_in_force_at_once_for_one_place_are_refused() -> None:
    with pytest.raises(ParameterError, match="in force at the same time"):
        overlay_from_json({"parameters": [_param("51", True), _param("51", False, "2020-01-01")]})


def test_a_national_value_cannot_be_overlaid_on_the_shipped_one() -> None:
    with pytest.raises(ParameterError, match="two values for national"):
        overlay_from_json({"parameters": [_param("national", True)]})


def test_an_overlay_lists_every_bad_field() -> None:
    bad = {
        "parameters": [
            {
                "key": "left_behind.age_limt",
                "value": 15,
                "effective_from": "2020-01-01",
                "jurisdiction": "51",
                "citation": {"title": "t", "issuer": "i", "grade": "V2"},
            },
            {
                "key": "left_behind.age_limit",
                "value": "sixteen",
                "effective_from": "2020-01-01",
                "jurisdiction": "51",
                "citation": {"title": "t", "issuer": "i", "grade": "V2"},
            },
            {
                "key": "fuc.situations_both_parents",
                "value": ["lost_contact", "astrology"],
                "effective_from": "2020-01-01",
                "jurisdiction": "51",
                "citation": {"title": "t", "issuer": "i", "grade": "V2"},
            },
        ]
    }

    with pytest.raises(ParameterError) as raised:
        overlay_from_json(bad)

    assert [path for path, _problem in raised.value.errors] == [
        "parameters[0].key",
        "parameters[1].value",
        "parameters[2].value",
    ]


def test_an_overlay_with_malformed_fields_lists_them_all() -> None:
    bad = {
        "parameters": [
            {
                "key": "fuc.age_limit",
                "value": None,
                "effective_from": "2020-13-01",
                "effective_to": "someday",
                "jurisdiction": "Sichuan",
                "citation": {"title": "", "issuer": "i", "grade": "V3", "pages": 2},
                "unconfirmed": "yes",
                "colour": "red",
            },
            "not an object",
        ],
        "extra": 1,
    }

    with pytest.raises(ParameterError) as raised:
        overlay_from_json(bad)

    assert [path for path, _problem in raised.value.errors] == [
        "extra",
        "parameters[0].colour",
        "parameters[0].value",
        "parameters[0].effective_from",
        "parameters[0].effective_to",
        "parameters[0].jurisdiction",
        "parameters[0].citation.pages",
        "parameters[0].citation.title",
        "parameters[0].citation.grade",
        "parameters[0].unconfirmed",
        "parameters[1]",
    ]


@pytest.mark.parametrize("data", [[], {"parameters": {}}, {"params": []}])
def test_an_overlay_must_be_an_object_with_a_list(data: Any) -> None:
    with pytest.raises(ParameterError, match="parameters"):
        overlay_from_json(data)


def test_load_overlay_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "overlay.json"
    path.write_text(json.dumps({"parameters": [_param("51", True)]}), encoding="utf-8")

    params = load_overlay(path)

    assert params.resolve(KEY, asof=TODAY, province_code="51").value is True


def test_load_overlay_reports_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "overlay.json"
    path.write_text("{", encoding="utf-8")

    with pytest.raises(ParameterError, match="not valid JSON"):
        load_overlay(path)


def test_a_parameter_set_rejects_a_bad_jurisdiction() -> None:
    bad = Parameter("x", 1, TODAY, GUOFA_2016_13, jurisdiction="province")

    with pytest.raises(ParameterError, match="not 'national'"):
        ParameterSet([bad])


def test_the_json_form_of_a_parameter() -> None:
    (record,) = NATIONAL.records("fuc.lost_contact_min_days")

    assert record.to_json() == {
        "key": "fuc.lost_contact_min_days",
        "value": 180,
        "effective_from": "2020-01-01",
        "effective_to": None,
        "jurisdiction": "national",
        "citation": {
            "title": "关于进一步加强事实无人抚养儿童保障工作的意见",
            "issuer": "民政部等12部门",
            "number": "民发〔2019〕62号",
            "article": None,
            "grade": "V2",
            "url": None,
        },
        "note": record.note,
        "unconfirmed": False,
    }
