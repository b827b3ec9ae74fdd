"""Rural left-behind child (农村留守儿童): 国发〔2016〕13号, DOMAIN.md §1.1.

A child under 16 in completed years on asof (不满十六周岁), with rural hukou, who cannot live
normally with her parents because both parents work away (父母双方外出务工), or one works away
and the other lacks guardianship capacity (一方外出务工另一方无监护能力), which MCA's 2016
census defined as "因重病、重残等原因丧失监护能力".

Not national: counting a dead, missing or divorced-and-absent other parent as lacking
capacity. That is the provincial option ``left_behind.count_dead_or_divorced_as_incapable``
(default off).
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from shouwang.rules.engine.citations import GUOFA_2016_13, MCA_2016_CENSUS
from shouwang.rules.engine.facts import age_under, known_situation, parent, parent_working_away
from shouwang.rules.engine.logic import Finding, all_of, any_of, false, true, unknown
from shouwang.rules.engine.outcome import Outcome, Reason
from shouwang.rules.engine.params import NATIONAL, ParameterSet
from shouwang.rules.engine.situation import ChildSituation, ParentFacts
from shouwang.rules.engine.spec import Rule, RuleSpec

SPEC = RuleSpec(
    rule_id="left_behind",
    version="2016.1",
    title=_("Rural left-behind child"),
    effective_from=dt.date(2016, 2, 14),
    parameter_keys=(
        "left_behind.age_limit",
        "left_behind.count_dead_or_divorced_as_incapable",
    ),
    citations=(GUOFA_2016_13, MCA_2016_CENSUS),
)

# Situations the provincial option counts as "the other parent lacks capacity".
ABSENT_SITUATIONS = frozenset({"deceased", "missing", "divorced_absent"})


def evaluate(situation: ChildSituation, params: ParameterSet = NATIONAL) -> Outcome:
    """Is the child a rural left-behind child on asof (国发〔2016〕13号)?"""
    read = SPEC.reader(params, situation)
    count_absent = read("left_behind.count_dead_or_divorced_as_incapable")
    finding = all_of(
        age_under(situation, read("left_behind.age_limit")),
        _rural_hukou(situation),
        _parents_away(situation, count_absent=count_absent),
    )
    return SPEC.outcome(situation, read, finding)


def _rural_hukou(situation: ChildSituation) -> Finding:
    if situation.hukou_type is None:
        return unknown("hukou_type")
    if situation.hukou_type == "rural":
        return true(Reason("hukou_rural"))
    return false(Reason("hukou_not_rural", {"hukou_type": situation.hukou_type}))


def _parents_away(situation: ChildSituation, *, count_absent: bool) -> Finding:
    """Both parents away for work, or one away and the other without guardianship capacity."""
    father, mother = parent(situation, "father"), parent(situation, "mother")
    father_away = parent_working_away(father, "father")
    mother_away = parent_working_away(mother, "mother")
    return any_of(
        all_of(father_away, mother_away),
        all_of(father_away, _incapable(mother, "mother", count_absent=count_absent)),
        all_of(mother_away, _incapable(father, "father", count_absent=count_absent)),
    )


def _incapable(facts: ParentFacts, which: str, *, count_absent: bool) -> Finding:
    """Does the parent who is not away lack guardianship capacity (无监护能力)?"""
    if facts.lacks_guardianship_capacity:
        reason = facts.incapacity_reason or "not_given"
        return true(Reason("parent_lacks_capacity", {"parent": which, "reason": reason}))
    situation = _absence(facts)
    if situation in ABSENT_SITUATIONS:
        params = {"parent": which, "situation": situation}
        if count_absent:
            return true(Reason("parent_absent_counts_as_incapable", params))
        return false(Reason("parent_absent_not_counted", params))
    if situation == "working_away":  # away, so not "the other parent" at home
        return false(Reason("parent_working_away", {"parent": which}))
    if facts.lacks_guardianship_capacity is False:
        return false(Reason("parent_has_capacity", {"parent": which}))
    return unknown(
        f"{which}.situation" if situation is None else f"{which}.lacks_guardianship_capacity"
    )


def _absence(facts: ParentFacts) -> str | None:
    """The parent's situation; a declared death takes precedence over what was recorded."""
    return "deceased" if facts.declared_dead else known_situation(facts)


RULE = Rule(SPEC, evaluate)
