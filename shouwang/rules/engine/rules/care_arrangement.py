"""Care arrangement category (监护类型) and the living-alone alerts: DOMAIN.md §1.2, §5.1.

The categories are those MCA reports on (2016 census): grandparents, other relatives or
friends, a parent at home without guardianship capacity, and nobody (无人监护); plus "parent"
for a child cared for by a capable parent at home. The recorded category is used; without
one, it is derived from the caregiver's relation.

Two RED alerts, both mandatory-report triggers of 国发〔2016〕13号 ("脱离监护单独居住生活"):

- nobody cares for the child (无人监护);
- a child under 16 lives alone, apart from guardianship (未成年人保护法 Art. 21(2)). A child
  of unknown age recorded as living alone is alerted too: the facts that would clear the
  alert are not known, and a missed report costs more than a checked one.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from shouwang.rules.engine.citations import GUOFA_2016_13, MCA_2016_CENSUS, MPL_ART_21_2
from shouwang.rules.engine.facts import age, caregiver, parent, relation_category
from shouwang.rules.engine.logic import Finding, false, true, unknown
from shouwang.rules.engine.outcome import RED, Alert, Outcome, Reason
from shouwang.rules.engine.params import NATIONAL, ParameterSet
from shouwang.rules.engine.situation import PARENT_RELATIONS, ChildSituation
from shouwang.rules.engine.spec import Rule, RuleSpec

SPEC = RuleSpec(
    rule_id="care_arrangement",
    version="2016.1",
    title=_("Care arrangement"),
    effective_from=dt.date(2016, 2, 14),
    parameter_keys=("living_alone.age_limit",),
    citations=(MCA_2016_CENSUS, GUOFA_2016_13, MPL_ART_21_2),
)


def evaluate(situation: ChildSituation, params: ParameterSet = NATIONAL) -> Outcome:
    """Which care arrangement the child is in, with the 无人监护 / living-alone alerts."""
    read = SPEC.reader(params, situation)
    category, finding = _category(situation)
    alerts = _alerts(situation, category, read("living_alone.age_limit"))
    return SPEC.outcome(situation, read, finding, value=category, alerts=alerts)


def _category(situation: ChildSituation) -> tuple[str | None, Finding]:
    """The recorded category, else the one the caregiver's relation implies."""
    if situation.care_category is not None:
        category = situation.care_category
        return category, true(Reason("care_category_recorded", {"category": category}))
    relation = caregiver(situation).relation
    if relation in PARENT_RELATIONS:
        capacity = parent(situation, relation).lacks_guardianship_capacity
        if capacity is None:
            return None, unknown("care_category", f"{relation}.lacks_guardianship_capacity")
        category = "parent_at_home_incapable" if capacity else "parent"
    else:
        category = relation_category(relation)
    if category is None:
        return None, unknown("care_category")
    if category == "no_guardian":
        return category, true(Reason("care_category_derived_nobody"))
    reason = Reason("care_category_derived", {"category": category, "relation": relation})
    return category, true(reason)


def _alerts(situation: ChildSituation, category: str | None, limit: int) -> tuple[Alert, ...]:
    alerts = []
    if category == "no_guardian":
        alerts.append(
            Alert(
                "no_guardian",
                RED,
                reasons=(Reason("care_category_no_guardian"),),
                mandatory_report=True,
            )
        )
    living_alone = _living_alone(situation, limit)
    if living_alone.value:
        alerts.append(
            Alert(
                "child_living_alone",
                RED,
                reasons=living_alone.reasons,
                mandatory_report=True,
                params={"limit": limit},
            )
        )
    return tuple(alerts)


def _living_alone(situation: ChildSituation, limit: int) -> Finding:
    """Under ``limit`` (16) and living alone apart from guardianship (Art. 21(2))."""
    if not situation.lives_alone:
        return false()
    years = age(situation)
    if years is None:
        return true(Reason("child_lives_alone"), Reason("age_unknown"))
    if years < limit:
        return true(
            Reason("child_lives_alone"), Reason("age_under", {"age": years, "limit": limit})
        )
    return false()


RULE = Rule(SPEC, evaluate)
