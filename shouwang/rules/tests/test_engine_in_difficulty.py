"""Children in difficulty (国发〔2016〕36号): three labels, their evidence, the 18th birthday."""

from typing import Any

import pytest

from shouwang.rules.engine.situation import SAFETY_CONCERNS
from shouwang.rules.tests import birth_for, run, situation


def _labels(outcome: Any) -> dict[str, str]:
    return {label.label: label.status for label in outcome.labels}


def _label(outcome: Any, name: str) -> Any:
    return next(label for label in outcome.labels if label.label == name)


def test_nothing_recorded_is_no_on_every_label() -> None:
    outcome = run("in_difficulty", situation())

    assert outcome.status == "no"
    assert _labels(outcome) == {"poverty": "no", "disability": "no", "safety": "no"}
    assert [r.code for r in outcome.reasons] == [
        "no_poverty_recorded",
        "child_not_disabled",
        "no_safety_concern_recorded",
    ]


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({"household_dibao": True}, "household_on_dibao"),
        ({"household_tekun": True}, "household_on_tekun"),
        ({"household_poverty_registered": True}, "household_poverty_registered"),
        ({"poverty_hardship": True}, "poverty_hardship_recorded"),
    ],
)
def test_poverty_evidence(facts: dict[str, Any], reason: str) -> None:
    outcome = run("in_difficulty", situation(**facts))

    assert outcome.status == "yes"
    assert _labels(outcome)["poverty"] == "yes"
    assert [r.code for r in _label(outcome, "poverty").reasons] == [reason]


def test_poverty_hardship_is_evidence_only_when_recorded() -> None:
    outcome = run("in_difficulty", situation(poverty_hardship=None))

    assert _labels(outcome)["poverty"] == "no"


@pytest.mark.parametrize(
    ("facts", "missing"),
    [
        ({"household_dibao": None}, ["household_dibao"]),
        (
            {
                "household_dibao": None,
                "household_tekun": None,
                "household_poverty_registered": None,
            },
            ["household_dibao", "household_tekun", "household_poverty_registered"],
        ),
    ],
)
def test_unknown_household_flags_leave_poverty_undetermined(
    facts: dict[str, Any], missing: list[str]
) -> None:
    outcome = run("in_difficulty", situation(**facts))

    assert outcome.status == "cannot_determine"
    assert list(outcome.missing) == missing
    assert list(_label(outcome, "poverty").missing) == missing


def test_one_known_label_is_enough_for_yes() -> None:
    outcome = run("in_difficulty", situation(household_dibao=True, household_tekun=None))

    assert outcome.status == "yes"
    assert outcome.missing == ()


@pytest.mark.parametrize(
    ("facts", "status", "reason"),
    [
        ({"health_status": "disabled", "disability_grade": 2}, "yes", "child_disabled_grade"),
        ({"health_status": "disabled"}, "yes", "child_disabled"),
        ({"health_status": None, "disability_grade": 4}, "yes", "child_disabled_grade"),
        ({"health_status": "ill"}, "no", "child_not_disabled"),
        ({"health_status": "healthy"}, "no", "child_not_disabled"),
    ],
)
def test_disability(facts: dict[str, Any], status: str, reason: str) -> None:
    label = _label(run("in_difficulty", situation(**facts)), "disability")

    assert label.status == status
    assert [r.code for r in label.reasons] == [reason]


def test_health_unknown_leaves_disability_undetermined() -> None:
    outcome = run("in_difficulty", situation(health_status=None))

    assert outcome.status == "cannot_determine"
    assert outcome.missing == ("health_status",)


@pytest.mark.parametrize("concern", SAFETY_CONCERNS)
def test_each_safety_concern(concern: str) -> None:
    outcome = run("in_difficulty", situation(safety_concerns=(concern,)))

    assert outcome.status == "yes"
    assert [r.params for r in _label(outcome, "safety").reasons] == [{"concern": concern}]


def test_several_labels_each_with_its_evidence() -> None:
    child = situation(
        household_dibao=True,
        health_status="disabled",
        safety_concerns=("abuse", "abandonment"),
    )

    outcome = run("in_difficulty", child)

    assert _labels(outcome) == {"poverty": "yes", "disability": "yes", "safety": "yes"}
    assert len(_label(outcome, "safety").reasons) == 2


@pytest.mark.parametrize(
    ("when", "status"), [("day_before", "yes"), ("on", "no"), ("day_after", "no")]
)
def test_the_18th_birthday(when: str, status: str) -> None:
    child = situation(birth_date=birth_for(18, when), household_dibao=True)

    assert run("in_difficulty", child).status == status


def test_aged_18_is_a_definite_no_whatever_is_unknown() -> None:
    child = situation(birth_date=birth_for(18, "on"), household_dibao=None, health_status=None)

    outcome = run("in_difficulty", child)

    assert outcome.status == "no"
    assert [r.code for r in outcome.reasons] == ["age_not_under"]


def test_an_unknown_age_with_a_label_cannot_be_determined() -> None:
    outcome = run("in_difficulty", situation(birth_date=None, household_dibao=True))

    assert outcome.status == "cannot_determine"
    assert outcome.missing == ("birth_date",)
