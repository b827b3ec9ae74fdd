"""The rule catalogue: every rule, in the order evaluations list them.

Each module holds one rule: a ``SPEC`` (id, version, effective dates, jurisdiction, the
parameter keys it reads, citations) and a pure ``evaluate(situation, params) -> Outcome``.
"""

import datetime as dt

from shouwang.rules.engine.rules import (
    care_arrangement,
    entrusted_caregiver,
    fuc_prescreen,
    in_difficulty,
    left_behind,
    unattended_young_child,
    weekly_contact,
)
from shouwang.rules.engine.spec import Rule

CATALOGUE: tuple[Rule, ...] = (
    left_behind.RULE,
    care_arrangement.RULE,
    in_difficulty.RULE,
    fuc_prescreen.RULE,
    entrusted_caregiver.RULE,
    weekly_contact.RULE,
    unattended_young_child.RULE,
)


def get_rule(rule_id: str) -> Rule:
    """The catalogue entry for ``rule_id``; KeyError if there is none."""
    for rule in CATALOGUE:
        if rule.rule_id == rule_id:
            return rule
    msg = f"no rule {rule_id!r}"
    raise KeyError(msg)


def rules_in_force(asof: dt.date) -> tuple[Rule, ...]:
    """The rules in force on ``asof`` (effective dates inclusive)."""
    return tuple(rule for rule in CATALOGUE if rule.spec.in_force(asof))
