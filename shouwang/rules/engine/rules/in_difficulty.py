"""Children in difficulty (困境儿童): 国发〔2016〕36号, DOMAIN.md §2.

Multi-label, each label with its evidence; a child under 18:

- ``poverty`` (家庭困境): difficulty with living, medical care or schooling because of family
  poverty. Evidence: the household receives 低保 or 特困 support or is a registered poor
  household (建档立卡), or poverty hardship is recorded directly.
- ``disability`` (自身困境): the child's own disability.
- ``safety`` (安全困境): abuse, abandonment, accidental injury or unlawful harm because
  guardianship is missing or improper.

The three household flags must be known to say "not poor"; ``poverty_hardship`` is
evidence only when recorded. Which scheme applies (孤儿 / 特困 / 低保 / 临时救助) is for civil
affairs to decide, not this rule.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from shouwang.rules.engine.citations import GUOFA_2016_36
from shouwang.rules.engine.facts import age_under
from shouwang.rules.engine.logic import Finding, all_of, any_of, false, true, unknown
from shouwang.rules.engine.outcome import Label, Outcome, Reason
from shouwang.rules.engine.params import NATIONAL, ParameterSet
from shouwang.rules.engine.situation import ChildSituation
from shouwang.rules.engine.spec import Rule, RuleSpec

SPEC = RuleSpec(
    rule_id="in_difficulty",
    version="2016.1",
    title=_("Child in difficulty"),
    effective_from=dt.date(2016, 6, 16),
    parameter_keys=("in_difficulty.age_limit",),
    citations=(GUOFA_2016_36,),
)

_HOUSEHOLD_FLAGS = (
    ("household_dibao", "household_on_dibao"),
    ("household_tekun", "household_on_tekun"),
    ("household_poverty_registered", "household_poverty_registered"),
)


def evaluate(situation: ChildSituation, params: ParameterSet = NATIONAL) -> Outcome:
    """Which of the 36号 difficulty labels apply to the child, each with its evidence."""
    read = SPEC.reader(params, situation)
    labels = {
        "poverty": _poverty(situation),
        "disability": _disability(situation),
        "safety": _safety(situation),
    }
    finding = all_of(
        age_under(situation, read("in_difficulty.age_limit")), any_of(*labels.values())
    )
    return SPEC.outcome(
        situation,
        read,
        finding,
        labels=tuple(Label(name, f.status, f.reasons, f.missing) for name, f in labels.items()),
    )


def _poverty(situation: ChildSituation) -> Finding:
    """家庭困境: household on 低保 / 特困 / 建档立卡, or poverty hardship recorded."""
    reasons = [Reason(code) for name, code in _HOUSEHOLD_FLAGS if getattr(situation, name) is True]
    if situation.poverty_hardship:
        reasons.append(Reason("poverty_hardship_recorded"))
    if reasons:
        return true(*reasons)
    unknown_flags = [name for name, _code in _HOUSEHOLD_FLAGS if getattr(situation, name) is None]
    if unknown_flags:
        return unknown(*unknown_flags)
    return false(Reason("no_poverty_recorded"))


def _disability(situation: ChildSituation) -> Finding:
    """自身困境: the child is disabled."""
    if situation.health_status == "disabled" or situation.disability_grade is not None:
        if situation.disability_grade is not None:
            return true(Reason("child_disabled_grade", {"grade": situation.disability_grade}))
        return true(Reason("child_disabled"))
    if situation.health_status is None:
        return unknown("health_status")
    return false(Reason("child_not_disabled", {"health_status": situation.health_status}))


def _safety(situation: ChildSituation) -> Finding:
    """安全困境: a recorded safety concern (abuse, abandonment, injury, unlawful harm)."""
    if situation.safety_concerns:
        return true(*(Reason("safety_concern", {"concern": c}) for c in situation.safety_concerns))
    return false(Reason("no_safety_concern_recorded"))


RULE = Rule(SPEC, evaluate)
