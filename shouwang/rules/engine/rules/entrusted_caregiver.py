"""Entrusted caregiver (委托照护): 未成年人保护法 Arts. 22 and 23, 民法典 Art. 18; DOMAIN.md §5.

Parents who cannot fully perform guardianship for a time because they work away must entrust
care to a person with full civil capacity who is able to provide care (Art. 22). Full civil
capacity: 18 or over, or 16 or over and living mainly on one's own labour income (民法典
Art. 18). Disqualified: offences of sexual assault, abuse, abandonment, trafficking or
violence; drug, alcohol or gambling addiction; past refusal or long neglect of guardianship or
care; other unsuitable persons. If the disqualifications were never asked, the rule cannot say
the carer is eligible.

Art. 23: the parents notify in writing the school (or kindergarten) and the village
committee where the child lives. A notice not recorded raises an AMBER alert each.

Applies only when the day-to-day caregiver is not a parent (and somebody cares at all:
"nobody" is the care_arrangement rule's RED alert).
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from shouwang.rules.engine.citations import CIVIL_CODE_ART_18, MPL_ART_22, MPL_ART_23
from shouwang.rules.engine.facts import caregiver, nobody_cares, parent_cares
from shouwang.rules.engine.logic import Finding, all_of, false, true, unknown
from shouwang.rules.engine.outcome import AMBER, NOT_APPLICABLE, Alert, Outcome, Reason
from shouwang.rules.engine.params import NATIONAL, ParameterSet, ParamReader
from shouwang.rules.engine.situation import CaregiverFacts, ChildSituation
from shouwang.rules.engine.spec import Rule, RuleSpec

SPEC = RuleSpec(
    rule_id="entrusted_caregiver",
    version="2021.1",
    title=_("Entrusted caregiver"),
    effective_from=dt.date(2021, 6, 1),
    parameter_keys=("civil_capacity.full_age", "civil_capacity.self_supporting_age"),
    citations=(MPL_ART_22, MPL_ART_23, CIVIL_CODE_ART_18),
)


def evaluate(situation: ChildSituation, params: ParameterSet = NATIONAL) -> Outcome:
    """Does the entrusted caregiver meet Art. 22? Are the Art. 23 written notices recorded?"""
    read = SPEC.reader(params, situation)
    not_applicable = _not_applicable(situation)
    if not_applicable is not None:
        return SPEC.outcome(situation, read, true(not_applicable), status=NOT_APPLICABLE)
    if situation.care_category is None and caregiver(situation).relation is None:
        return SPEC.outcome(situation, read, unknown("care_category"))
    carer = caregiver(situation)
    finding = all_of(
        full_civil_capacity(carer, read),
        _care_capacity(carer),
        _not_disqualified(carer),
    )
    notices, alerts = _notices(carer, situation.asof)
    return SPEC.outcome(
        situation,
        read,
        finding,
        extra_reasons=(*_child_views(carer), *notices),
        alerts=alerts,
    )


def _not_applicable(situation: ChildSituation) -> Reason | None:
    if nobody_cares(situation):
        return Reason("not_applicable_nobody_cares")
    who = parent_cares(situation)
    if who is not None:
        return Reason("not_applicable_parent_cares", {"parent": who})
    return None


def full_civil_capacity(carer: CaregiverFacts, read: ParamReader) -> Finding:
    """18 or over; or 16-17 living mainly on own labour income (民法典 Art. 18)."""
    full_age = read("civil_capacity.full_age")
    self_supporting_age = read("civil_capacity.self_supporting_age")
    if carer.age is None:
        return unknown("caregiver.age")
    params = {"age": carer.age, "limit": full_age}
    if carer.age >= full_age:
        return true(Reason("carer_adult", params))
    if carer.age < self_supporting_age:
        params["min_age"] = self_supporting_age
        return false(Reason("carer_under_self_supporting_age", params))
    if carer.self_supporting is None:
        return unknown("caregiver.self_supporting")
    if carer.self_supporting:
        return true(Reason("carer_self_supporting", params))
    return false(Reason("carer_not_self_supporting", params))


def _care_capacity(carer: CaregiverFacts) -> Finding:
    if carer.has_care_capacity is None:
        return unknown("caregiver.has_care_capacity")
    if carer.has_care_capacity:
        return true(Reason("carer_has_care_capacity"))
    return false(Reason("carer_lacks_care_capacity"))


def _not_disqualified(carer: CaregiverFacts) -> Finding:
    """None of the Art. 22 disqualifications, and they were asked."""
    if carer.disqualifiers:
        return false(*(Reason("carer_disqualified", {"ground": d}) for d in carer.disqualifiers))
    if not carer.disqualifiers_checked:
        return unknown("caregiver.disqualifiers_checked")
    return true(Reason("carer_no_disqualifiers"))


def _child_views(carer: CaregiverFacts) -> tuple[Reason, ...]:
    """Art. 22(2): the child's views heard (recorded for the file; it does not decide)."""
    if carer.child_views_heard:
        return (Reason("child_views_heard"),)
    return (Reason("child_views_not_recorded"),)


def _notices(carer: CaregiverFacts, asof: dt.date) -> tuple[tuple[Reason, ...], tuple[Alert, ...]]:
    """Art. 23: written notice of the entrustment to the school and the village committee."""
    reasons: list[Reason] = []
    alerts: list[Alert] = []
    school, village = carer.notice_to_school_on, carer.notice_to_village_on
    if school is not None and school <= asof:
        reasons.append(Reason("notice_to_school_recorded", {"date": school.isoformat()}))
    else:
        reasons.append(Reason("notice_to_school_missing"))
        alerts.append(Alert("notice_to_school_missing", AMBER, reasons=(reasons[-1],)))
    if village is not None and village <= asof:
        reasons.append(Reason("notice_to_village_recorded", {"date": village.isoformat()}))
    else:
        reasons.append(Reason("notice_to_village_missing"))
        alerts.append(Alert("notice_to_village_missing", AMBER, reasons=(reasons[-1],)))
    return tuple(reasons), tuple(alerts)


RULE = Rule(SPEC, evaluate)
