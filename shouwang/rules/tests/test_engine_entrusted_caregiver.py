"""Entrusted caregiver (未成年人保护法 Arts. 22-23, 民法典 Art. 18): capacity, disqualifications,
the written notices, and when the rule does not apply."""

import datetime as dt
from typing import Any

import pytest

from shouwang.rules.engine import CaregiverFacts, rules_in_force
from shouwang.rules.engine.situation import DISQUALIFIERS
from shouwang.rules.tests import ASOF, alert_codes, carer, codes, parent, run, situation


def entrusted(**facts: Any) -> Any:
    return run("entrusted_caregiver", situation(caregiver=carer(**facts)))


@pytest.mark.parametrize(
    ("age", "self_supporting", "status", "reason", "missing"),
    [
        (15, True, "no", "carer_under_self_supporting_age", []),
        (16, True, "yes", "carer_self_supporting", []),
        (16, False, "no", "carer_not_self_supporting", []),
        (16, None, "cannot_determine", None, ["caregiver.self_supporting"]),
        (17, False, "no", "carer_not_self_supporting", []),
        (17, True, "yes", "carer_self_supporting", []),
        (18, None, "yes", "carer_adult", []),
        (18, False, "yes", "carer_adult", []),
        (None, None, "cannot_determine", None, ["caregiver.age"]),
    ],
)
def test_full_civil_capacity(
    age: int | None,
    self_supporting: bool | None,
    status: str,
    reason: str | None,
    missing: list[str],
) -> None:
    outcome = entrusted(age=age, self_supporting=self_supporting)

    assert outcome.status == status
    assert list(outcome.missing) == missing
    if reason:
        assert codes(outcome)[0] == reason


@pytest.mark.parametrize("ground", DISQUALIFIERS)
def test_each_disqualification(ground: str) -> None:
    outcome = entrusted(disqualifiers=(ground,))

    assert outcome.status == "no"
    assert [r.params for r in outcome.reasons if r.code == "carer_disqualified"] == [
        {"ground": ground}
    ]


def test_every_disqualification_is_listed() -> None:
    outcome = entrusted(disqualifiers=DISQUALIFIERS)

    assert [r.params["ground"] for r in outcome.reasons if r.code == "carer_disqualified"] == list(
        DISQUALIFIERS
    )


def test_disqualifications_never_asked_cannot_be_determined() -> None:
    outcome = entrusted(disqualifiers_checked=False)

    assert outcome.status == "cannot_determine"
    assert outcome.missing == ("caregiver.disqualifiers_checked",)


def test_a_recorded_disqualification_is_a_no_even_if_the_check_is_not_marked_done() -> None:
    assert entrusted(disqualifiers=("addiction",), disqualifiers_checked=False).status == "no"


@pytest.mark.parametrize(
    ("capacity", "status", "missing"),
    [
        (True, "yes", []),
        (False, "no", []),
        (None, "cannot_determine", ["caregiver.has_care_capacity"]),
    ],
)
def test_care_capacity(capacity: bool | None, status: str, missing: list[str]) -> None:
    outcome = entrusted(has_care_capacity=capacity)

    assert outcome.status == status
    assert list(outcome.missing) == missing


def test_nothing_known_about_the_caregiver_lists_every_missing_fact() -> None:
    child = situation(caregiver=CaregiverFacts(relation="maternal_grandmother"))

    outcome = run("entrusted_caregiver", child)

    assert outcome.status == "cannot_determine"
    assert outcome.missing == (
        "caregiver.age",
        "caregiver.has_care_capacity",
        "caregiver.disqualifiers_checked",
    )


@pytest.mark.parametrize(
    ("school", "village", "alerts"),
    [
        (dt.date(2025, 9, 1), dt.date(2025, 9, 2), []),
        (None, dt.date(2025, 9, 2), ["notice_to_school_missing"]),
        (dt.date(2025, 9, 1), None, ["notice_to_village_missing"]),
        (None, None, ["notice_to_school_missing", "notice_to_village_missing"]),
        (ASOF, ASOF, []),
        (ASOF + dt.timedelta(days=1), ASOF, ["notice_to_school_missing"]),
    ],
    ids=["both", "school-missing", "village-missing", "both-missing", "on-asof", "after-asof"],
)
def test_the_written_notices(
    school: dt.date | None, village: dt.date | None, alerts: list[str]
) -> None:
    outcome = entrusted(notice_to_school_on=school, notice_to_village_on=village)

    assert alert_codes(outcome) == alerts
    assert all(a.level == "amber" and not a.mandatory_report for a in outcome.alerts)
    assert outcome.status == "yes"  # the notices do not decide eligibility


def test_the_notice_alerts_are_raised_whatever_the_eligibility() -> None:
    outcome = entrusted(age=15, notice_to_school_on=None)

    assert outcome.status == "no"
    assert alert_codes(outcome) == ["notice_to_school_missing"]


def test_the_childs_views_are_noted_but_do_not_decide() -> None:
    heard = entrusted(child_views_heard=True)
    not_recorded = entrusted(child_views_heard=None)

    assert heard.status == not_recorded.status == "yes"
    assert "child_views_heard" in codes(heard)
    assert "child_views_not_recorded" in codes(not_recorded)


@pytest.mark.parametrize(
    "facts",
    [
        {"care_category": "parent", "caregiver": carer("mother"), "mother": parent("at_home")},
        {"care_category": None, "caregiver": carer("father"), "father": parent("at_home")},
        {"care_category": "parent_at_home_incapable", "caregiver": None},
        {"care_category": "no_guardian", "caregiver": None},
        {"care_category": None, "caregiver": carer("none")},
    ],
    ids=["mother-cares", "father-cares", "incapable-parent", "no-guardian", "relation-none"],
)
def test_not_applicable_without_an_entrustment(facts: dict[str, Any]) -> None:
    outcome = run("entrusted_caregiver", situation(**facts))

    assert outcome.status == "not_applicable"
    assert outcome.alerts == ()
    assert len(outcome.reasons) == 1


def test_with_nothing_known_about_who_cares_it_cannot_be_determined() -> None:
    outcome = run("entrusted_caregiver", situation(care_category=None, caregiver=None))

    assert outcome.status == "cannot_determine"
    assert outcome.missing == ("care_category",)
    assert outcome.alerts == ()


def test_the_rule_is_in_force_with_the_2020_minors_protection_law() -> None:
    assert "entrusted_caregiver" not in [r.rule_id for r in rules_in_force(dt.date(2021, 5, 31))]
    assert "entrusted_caregiver" in [r.rule_id for r in rules_in_force(dt.date(2021, 6, 1))]
