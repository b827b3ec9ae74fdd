"""Care arrangement category and the RED living-alone / no-guardian alerts (13号; Art. 21(2))."""

import datetime as dt
from typing import Any

import pytest

from shouwang.rules.engine.situation import CARE_CATEGORIES
from shouwang.rules.tests import alert_codes, birth_for, carer, codes, parent, run, situation


@pytest.mark.parametrize("category", CARE_CATEGORIES)
def test_the_recorded_category_is_the_value(category: str) -> None:
    outcome = run("care_arrangement", situation(care_category=category))

    assert outcome.status == "yes"
    assert outcome.value == category
    assert codes(outcome) == ["care_category_recorded"]


@pytest.mark.parametrize(
    ("caregiver", "facts", "value", "missing"),
    [
        ("paternal_grandfather", {}, "grandparents", []),
        ("paternal_grandmother", {}, "grandparents", []),
        ("maternal_grandfather", {}, "grandparents", []),
        ("maternal_grandmother", {}, "grandparents", []),
        ("sibling", {}, "other_relative_or_friend", []),
        ("other_relative", {}, "other_relative_or_friend", []),
        ("friend_neighbour", {}, "other_relative_or_friend", []),
        ("none", {}, "no_guardian", []),
        ("father", {"father": parent("at_home")}, "parent", []),
        (
            "mother",
            {"mother": parent("at_home", lacks_guardianship_capacity=True)},
            "parent_at_home_incapable",
            [],
        ),
        (
            "father",
            {"father": parent("at_home", lacks_guardianship_capacity=None)},
            None,
            ["care_category", "father.lacks_guardianship_capacity"],
        ),
        (None, {}, None, ["care_category"]),
    ],
)
def test_without_a_recorded_category_it_is_derived_from_the_relation(
    caregiver: str | None, facts: dict[str, Any], value: str | None, missing: list[str]
) -> None:
    child = situation(care_category=None, caregiver=carer(caregiver), **facts)

    outcome = run("care_arrangement", child)

    assert outcome.value == value
    assert list(outcome.missing) == missing
    assert outcome.status == ("cannot_determine" if missing else "yes")
    if value == "no_guardian":
        assert codes(outcome) == ["care_category_derived_nobody"]
    elif value:
        assert outcome.reasons[0].params == {"category": value, "relation": caregiver}


def test_no_caregiver_record_at_all_cannot_be_determined() -> None:
    outcome = run("care_arrangement", situation(care_category=None, caregiver=None))

    assert outcome.status == "cannot_determine"
    assert outcome.missing == ("care_category",)


@pytest.mark.parametrize(
    "facts",
    [{"care_category": "no_guardian"}, {"care_category": None, "caregiver": carer("none")}],
    ids=["recorded", "derived"],
)
def test_nobody_caring_raises_a_red_mandatory_report(facts: dict[str, Any]) -> None:
    outcome = run("care_arrangement", situation(**facts))

    (alert,) = outcome.alerts
    assert (alert.code, alert.level, alert.mandatory_report) == ("no_guardian", "red", True)


@pytest.mark.parametrize(
    ("when", "alerted"), [("day_before", True), ("on", False), ("day_after", False)]
)
def test_living_alone_is_a_red_mandatory_report_under_16(when: str, alerted: bool) -> None:
    child = situation(lives_alone=True, birth_date=birth_for(16, when))

    outcome = run("care_arrangement", child)

    assert alert_codes(outcome) == (["child_living_alone"] if alerted else [])
    if alerted:
        (alert,) = outcome.alerts
        assert alert.level == "red"
        assert alert.mandatory_report is True
        assert [r.code for r in alert.reasons] == ["child_lives_alone", "age_under"]


def test_living_alone_with_the_age_unknown_is_alerted_all_the_same() -> None:
    outcome = run("care_arrangement", situation(lives_alone=True, birth_date=None))

    (alert,) = outcome.alerts
    assert [r.code for r in alert.reasons] == ["child_lives_alone", "age_unknown"]


@pytest.mark.parametrize("lives_alone", [False, None])
def test_no_living_alone_alert_unless_recorded(lives_alone: bool | None) -> None:
    assert run("care_arrangement", situation(lives_alone=lives_alone)).alerts == ()


def test_both_alerts_together() -> None:
    child = situation(care_category="no_guardian", lives_alone=True)

    assert alert_codes(run("care_arrangement", child)) == ["no_guardian", "child_living_alone"]


def test_an_alert_stands_even_when_the_category_cannot_be_determined() -> None:
    child = situation(care_category=None, caregiver=None, lives_alone=True)

    outcome = run("care_arrangement", child)

    assert outcome.status == "cannot_determine"
    assert alert_codes(outcome) == ["child_living_alone"]


@pytest.mark.parametrize(
    ("asof", "grade", "effective_from"),
    [
        (dt.date(2021, 5, 31), "V2", dt.date(2016, 2, 14)),
        (dt.date(2021, 6, 1), "V1", dt.date(2021, 6, 1)),
    ],
)
def test_the_age_limit_is_cited_from_13hao_and_from_2021_06_01_from_the_law(
    asof: dt.date, grade: str, effective_from: dt.date
) -> None:
    outcome = run("care_arrangement", situation(asof=asof, birth_date=dt.date(2012, 1, 1)))

    (used,) = outcome.parameters
    assert (used.key, used.value, used.grade, used.effective_from) == (
        "living_alone.age_limit",
        16,
        grade,
        effective_from,
    )
