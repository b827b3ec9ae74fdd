"""A child under 8 (or needing special care) left unattended or with an unsuitable carer
(未成年人保护法 Art. 21(1)): the 8th birthday, each kind of unsuitable carer."""

from typing import Any

import pytest

from shouwang.rules.engine.situation import DISQUALIFIERS
from shouwang.rules.tests import birth_for, carer, codes, run, situation

UNDER_8 = birth_for(8, "day_before")


def unattended(**facts: Any) -> Any:
    return run("unattended_young_child", situation(**{"birth_date": UNDER_8, **facts}))


@pytest.mark.parametrize(
    ("when", "status"), [("day_before", "yes"), ("on", "no"), ("day_after", "no")]
)
def test_the_8th_birthday(when: str, status: str) -> None:
    outcome = unattended(birth_date=birth_for(8, when), left_unattended=True)

    assert outcome.status == status
    if status == "yes":
        (alert,) = outcome.alerts
        assert (alert.code, alert.level) == ("unattended_young_child", "red")
    else:
        assert outcome.alerts == ()


def test_an_older_child_needing_special_care_is_protected() -> None:
    outcome = unattended(
        birth_date=birth_for(12, "on"), needs_special_care=True, left_unattended=True
    )

    assert outcome.status == "yes"
    assert "needs_special_care" in codes(outcome)


@pytest.mark.parametrize(
    ("caregiver", "status"),
    [
        (carer(), "no"),
        (carer(has_care_capacity=False), "yes"),
        (carer(age=15), "yes"),
        (carer(age=16, self_supporting=False), "yes"),
        (carer(age=16, self_supporting=True), "no"),
        (carer(age=17, self_supporting=None), "cannot_determine"),
        (carer(infectious_disease=True), "yes"),
        (carer(infectious_disease=None), "no"),
        *[(carer(disqualifiers=(ground,)), "yes") for ground in DISQUALIFIERS],
    ],
    ids=[
        "suitable",
        "no-care-capacity",
        "aged-15",
        "aged-16-not-self-supporting",
        "aged-16-self-supporting",
        "aged-17-unknown",
        "infectious-disease",
        "infectious-disease-not-recorded",
        *DISQUALIFIERS,
    ],
)
def test_the_temporary_carer(caregiver: Any, status: str) -> None:
    outcome = unattended(caregiver=caregiver)

    assert outcome.status == status
    assert len(outcome.alerts) == (1 if status == "yes" else 0)


@pytest.mark.parametrize(
    "facts",
    [{"care_category": "no_guardian", "caregiver": None}, {"caregiver": carer("none")}],
)
def test_nobody_caring_is_unattended(facts: dict[str, Any]) -> None:
    outcome = unattended(**facts)

    assert outcome.status == "yes"
    assert "care_category_no_guardian" in codes(outcome)


@pytest.mark.parametrize(
    ("facts", "status", "missing"),
    [
        ({"left_unattended": None}, "cannot_determine", ["left_unattended"]),
        ({"left_unattended": None, "birth_date": birth_for(10, "on")}, "no", []),
        (
            {"birth_date": None, "needs_special_care": None, "left_unattended": True},
            "cannot_determine",
            ["birth_date"],
        ),
        (
            {"caregiver": carer(age=None, has_care_capacity=None)},
            "cannot_determine",
            ["caregiver.age", "caregiver.has_care_capacity"],
        ),
        ({"left_unattended": True, "caregiver": carer(age=None)}, "yes", []),
    ],
    ids=[
        "unattended-unknown",
        "older-child-is-a-definite-no",
        "age-unknown",
        "carer-unknown",
        "unattended-decides-without-the-carer",
    ],
)
def test_unknown_facts(facts: dict[str, Any], status: str, missing: list[str]) -> None:
    outcome = unattended(**facts)

    assert outcome.status == status
    assert list(outcome.missing) == missing


def test_the_alert_is_red_and_not_itself_a_mandatory_report() -> None:
    (alert,) = unattended(left_unattended=True).alerts

    assert alert.level == "red"
    assert alert.mandatory_report is False
    assert [r.code for r in alert.reasons][:2] == ["age_under", "left_unattended"]
