"""Builders for the rules tests: an ordinary, fully recorded situation to vary one fact at a time.

The default child is a rural 10-year-old on ASOF whose parents both work away and call
every few days, cared for by a capable grandmother with both written notices on file: every
rule has an answer, so a test changes only the facts its row is about.
"""

import datetime as dt
from dataclasses import replace
from typing import Any

from shouwang.rules.engine import (
    CaregiverFacts,
    ChildSituation,
    Evaluation,
    Outcome,
    ParameterSet,
    ParentFacts,
    evaluate_all,
    get_rule,
)
from shouwang.rules.engine.params import NATIONAL

ASOF = dt.date(2026, 3, 1)


def days_before(days: int, asof: dt.date = ASOF) -> dt.date:
    return asof - dt.timedelta(days=days)


def birth_for(age: int, when: str, asof: dt.date = ASOF) -> dt.date:
    """A birth date such that ``asof`` is the day before, the day of, or the day after the
    ``age``-th birthday (``when``: "day_before" | "on" | "day_after")."""
    offset = {"day_before": 1, "on": 0, "day_after": -1}[when]
    birthday = asof + dt.timedelta(days=offset)
    return birthday.replace(year=birthday.year - age)


def parent(situation: str | None = "working_away", **facts: Any) -> ParentFacts:
    """A parent with every flag recorded as "no" and recent contact logged."""
    defaults: dict[str, Any] = {
        "lacks_guardianship_capacity": False,
        "declared_dead": False,
        "declared_missing": False,
        "guardianship_revoked": False,
        "deported": False,
        "last_contact_with_child_on": days_before(2),
        "last_contact_with_caregiver_on": days_before(3),
    }
    return ParentFacts(situation=situation, **{**defaults, **facts})


def carer(relation: str | None = "paternal_grandmother", **facts: Any) -> CaregiverFacts:
    """A capable adult caregiver, checked, with both Art. 23 notices on file."""
    defaults: dict[str, Any] = {
        "age": 62,
        "has_care_capacity": True,
        "disqualifiers_checked": True,
        "child_views_heard": True,
        "notice_to_school_on": dt.date(2025, 9, 1),
        "notice_to_village_on": dt.date(2025, 9, 2),
        "infectious_disease": False,
    }
    return CaregiverFacts(relation=relation, **{**defaults, **facts})


def situation(**overrides: Any) -> ChildSituation:
    """The ordinary situation, with ``overrides`` (any ChildSituation field)."""
    base = ChildSituation(
        asof=ASOF,
        birth_date=dt.date(2015, 9, 1),
        hukou_type="rural",
        father=parent(),
        mother=parent(),
        care_category="grandparents",
        caregiver=carer(),
        lives_alone=False,
        left_unattended=False,
        needs_special_care=False,
        health_status="healthy",
        household_dibao=False,
        household_tekun=False,
        household_poverty_registered=False,
        poverty_hardship=False,
        in_full_time_education=True,
    )
    return replace(base, **overrides)


def run(rule_id: str, child: ChildSituation, params: ParameterSet = NATIONAL) -> Outcome:
    """Evaluate one rule directly (whether or not it is in force on asof)."""
    return get_rule(rule_id).evaluate(child, params)


def evaluate(child: ChildSituation, params: ParameterSet = NATIONAL) -> Evaluation:
    return evaluate_all(child, params)


def codes(outcome: Outcome) -> list[str]:
    return [reason.code for reason in outcome.reasons]


def alert_codes(outcome: Outcome) -> list[str]:
    return [alert.code for alert in outcome.alerts]
