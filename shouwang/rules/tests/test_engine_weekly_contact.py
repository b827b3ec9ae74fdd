"""Weekly contact of a parent working away (未成年人保护法 Art. 23): 7 vs 8 days, none logged,
and wording that says "no record", never "violation"."""

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from shouwang.rules.engine.messages import render_alert
from shouwang.rules.tests import ASOF, alert_codes, days_before, parent, run, situation


def contact(**facts: Any) -> Any:
    return run("weekly_contact", situation(**facts))


@pytest.mark.parametrize(
    ("days", "status", "alerts"),
    [
        (0, "yes", []),
        (7, "yes", []),
        (8, "no", ["no_contact_with_child_recorded"]),
        (None, "no", ["no_contact_with_child_ever_recorded"]),
    ],
)
def test_contact_with_the_child(days: int | None, status: str, alerts: list[str]) -> None:
    on = None if days is None else days_before(days)

    outcome = contact(father=parent(last_contact_with_child_on=on))

    assert outcome.status == status
    assert alert_codes(outcome) == alerts
    if days == 8:
        (alert,) = outcome.alerts
        assert alert.params == {"parent": "father", "days": 8, "limit": 7, "date": "2026-02-21"}


@pytest.mark.parametrize(
    ("days", "alerts"),
    [
        (7, []),
        (8, ["no_contact_with_caregiver_recorded"]),
        (None, ["no_contact_with_caregiver_ever_recorded"]),
    ],
)
def test_contact_with_the_caregiver(days: int | None, alerts: list[str]) -> None:
    on = None if days is None else days_before(days)

    outcome = contact(mother=parent(last_contact_with_caregiver_on=on))

    assert alert_codes(outcome) == alerts
    assert all(a.params.get("parent") == "mother" for a in outcome.alerts)


def test_every_gap_of_every_parent_is_an_amber_alert() -> None:
    silent = parent(last_contact_with_child_on=None, last_contact_with_caregiver_on=None)

    outcome = contact(father=silent, mother=silent)

    assert outcome.status == "no"
    assert len(outcome.alerts) == 4
    assert {(a.level, a.mandatory_report) for a in outcome.alerts} == {("amber", False)}


def test_the_alert_says_no_record_not_violation() -> None:
    outcome = contact(father=parent(last_contact_with_child_on=days_before(12)))

    with translation.override("en"):
        message = render_alert(outcome.alerts[0])

    assert message.startswith("No contact between the father and the child recorded for 12 days")
    assert "violat" not in message.lower()


def test_a_parent_at_home_is_not_checked() -> None:
    outcome = contact(mother=parent("at_home", last_contact_with_child_on=None))

    assert outcome.status == "yes"
    assert outcome.alerts == ()


def test_not_applicable_when_no_parent_works_away() -> None:
    outcome = contact(father=parent("at_home"), mother=parent("deceased"))

    assert outcome.status == "not_applicable"
    assert [r.code for r in outcome.reasons] == ["no_parent_working_away"]


def test_without_a_caregiver_only_contact_with_the_child_is_checked() -> None:
    outcome = contact(
        care_category="no_guardian",
        caregiver=None,
        father=parent(last_contact_with_caregiver_on=None),
    )

    assert outcome.status == "yes"


@pytest.mark.parametrize(
    ("recent", "status", "missing"),
    [(False, "cannot_determine", ["father.situation"]), (True, "yes", [])],
)
def test_a_parent_whose_situation_is_unknown(recent: bool, status: str, missing: list[str]) -> None:
    father = parent(
        None,
        last_contact_with_child_on=days_before(1) if recent else None,
        last_contact_with_caregiver_on=days_before(1) if recent else None,
    )

    outcome = contact(father=father, mother=parent("at_home"))

    assert outcome.status == status
    assert list(outcome.missing) == missing
    assert outcome.alerts == ()


def test_a_contact_dated_after_asof_was_not_yet_logged() -> None:
    father = parent(last_contact_with_child_on=ASOF + dt.timedelta(days=1))

    assert alert_codes(contact(father=father)) == ["no_contact_with_child_ever_recorded"]
