"""The situation: JSON in and out, and a clear error listing every bad field."""

import datetime as dt
from typing import Any

import pytest

from shouwang.rules.engine import (
    CaregiverFacts,
    ParentFacts,
    SituationError,
    situation_from_json,
    situation_to_json,
    validate_situation,
)
from shouwang.rules.tests import carer, parent, situation


def test_a_full_situation_round_trips() -> None:
    child = situation(
        safety_concerns=("abuse",),
        caregiver=carer(disqualifiers=("addiction",)),
        father=parent("missing", lost_contact_police_accepted_on=dt.date(2025, 1, 2)),
        province_code="41",
        county_code="411521",
    )

    data = situation_to_json(child)

    assert data["father"]["lost_contact_police_accepted_on"] == "2025-01-02"
    assert data["caregiver"]["disqualifiers"] == ["addiction"]
    assert situation_from_json(data) == child


def test_omitted_fields_are_not_known() -> None:
    child = situation_from_json({"asof": "2026-03-01", "father": {}, "caregiver": {}})

    assert child.birth_date is None
    assert child.mother is None
    assert child.father == ParentFacts(situation=None)
    assert child.caregiver == CaregiverFacts(relation=None)
    assert child.safety_concerns == ()


def test_description_is_free_text_and_ignored() -> None:
    assert situation_from_json({"asof": "2026-03-01", "description": "例子"}).asof == dt.date(
        2026, 3, 1
    )


def test_every_bad_field_is_listed() -> None:
    data: dict[str, Any] = {
        "asof": "2026-03-01",
        "birth_date": "2026-02-30",
        "hukou_type": "village",
        "lives_alone": "yes",
        "disability_grade": 5,
        "safety_concerns": ["abuse", "bullying"],
        "county_code": "4115",
        "nickname": "Xiaoming",
        "father": {"situation": "away", "restriction_term_months": True, "colour": "red"},
        "mother": "working",
        "caregiver": {"age": -1, "disqualifiers": "addiction", "disqualifiers_checked": None},
    }

    with pytest.raises(SituationError) as raised:
        situation_from_json(data)

    assert [path for path, _problem in raised.value.errors] == [
        "nickname",
        "birth_date",
        "hukou_type",
        "lives_alone",
        "disability_grade",
        "safety_concerns",
        "county_code",
        "father.colour",
        "father.situation",
        "father.restriction_term_months",
        "mother",
        "caregiver.age",
        "caregiver.disqualifiers",
        "caregiver.disqualifiers_checked",
    ]
    assert "father.situation: 'away' is not one of: at_home" in str(raised.value)


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({}, "asof"),
        ({"asof": None}, "asof"),
        ({"asof": "1 March 2026"}, "asof"),
        ({"asof": 20260301}, "asof"),
    ],
)
def test_asof_is_required_and_must_be_a_date(data: dict[str, Any], path: str) -> None:
    with pytest.raises(SituationError) as raised:
        situation_from_json(data)

    assert [p for p, _ in raised.value.errors] == [path]


@pytest.mark.parametrize("data", [[], "x", None, 3])
def test_the_situation_must_be_an_object(data: Any) -> None:
    with pytest.raises(SituationError, match="not a JSON object"):
        situation_from_json(data)


def test_dates_after_asof_are_refused() -> None:
    data = {
        "asof": "2026-03-01",
        "birth_date": "2026-03-02",
        "father": {"last_contact_with_child_on": "2026-03-05"},
        "caregiver": {"notice_to_school_on": "2027-01-01"},
    }

    with pytest.raises(SituationError) as raised:
        situation_from_json(data)

    assert [p for p, _ in raised.value.errors] == [
        "father.last_contact_with_child_on",
        "caregiver.notice_to_school_on",
        "birth_date",
    ]


def test_the_county_must_be_in_the_province() -> None:
    with pytest.raises(SituationError, match="county_code"):
        situation_from_json({"asof": "2026-03-01", "province_code": "41", "county_code": "510104"})


def test_validate_checks_a_situation_built_in_code() -> None:
    child = situation(hukou_type="rurall", father=parent("away"))

    assert [p for p, _ in validate_situation(child)] == ["hukou_type", "father.situation"]
    assert validate_situation(situation()) == []


def test_duplicate_labels_are_kept_once() -> None:
    child = situation_from_json({"asof": "2026-03-01", "safety_concerns": ["abuse", "abuse"]})

    assert child.safety_concerns == ("abuse",)
