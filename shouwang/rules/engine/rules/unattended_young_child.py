"""A young child left unattended or with an unsuitable carer: 未成年人保护法 Art. 21(1).

Parents or guardians must not leave a child under 8, or a child who needs special care for
physical or psychological reasons, unattended (无人看护), nor leave her in the temporary care
of a person with no or limited civil capacity (under 18 and not self-supporting, 民法典
Arts. 18-19), a person with a serious infectious disease, or another unsuitable person.

"Another unsuitable person" is read to include anyone with an Art. 22 disqualification and
anyone recorded as lacking care capacity. Nobody caring for the child at all (无人监护) is
unattended. Either raises a RED alert. ``needs_special_care``, ``infectious_disease`` and the
disqualifications are evidence when recorded; the child's age, whether she is left
unattended, and the carer's age and care capacity must be known to clear the alert.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from shouwang.rules.engine.citations import CIVIL_CODE_ART_18, MPL_ART_21_1
from shouwang.rules.engine.facts import age_under, caregiver, nobody_cares
from shouwang.rules.engine.logic import Finding, all_of, any_of, false, true, unknown
from shouwang.rules.engine.outcome import RED, Alert, Outcome, Reason
from shouwang.rules.engine.params import NATIONAL, ParameterSet, ParamReader
from shouwang.rules.engine.rules.entrusted_caregiver import full_civil_capacity
from shouwang.rules.engine.situation import CaregiverFacts, ChildSituation
from shouwang.rules.engine.spec import Rule, RuleSpec

SPEC = RuleSpec(
    rule_id="unattended_young_child",
    version="2021.1",
    title=_("Young child left unattended or with an unsuitable carer"),
    effective_from=dt.date(2021, 6, 1),
    parameter_keys=(
        "unattended.age_limit",
        "civil_capacity.full_age",
        "civil_capacity.self_supporting_age",
    ),
    citations=(MPL_ART_21_1, CIVIL_CODE_ART_18),
)


def evaluate(situation: ChildSituation, params: ParameterSet = NATIONAL) -> Outcome:
    """Is a child under 8 (or needing special care) unattended or with an unsuitable carer?"""
    read = SPEC.reader(params, situation)
    finding = all_of(
        _protected(situation, read("unattended.age_limit")),
        any_of(_unattended(situation), _unsuitable_carer(situation, read)),
    )
    alerts = ()
    if finding.value:
        alerts = (Alert("unattended_young_child", RED, reasons=finding.reasons),)
    return SPEC.outcome(situation, read, finding, alerts=alerts)


def _protected(situation: ChildSituation, limit: int) -> Finding:
    """Under 8, or recorded as needing special care for physical or psychological reasons."""
    special = (
        true(Reason("needs_special_care"))
        if situation.needs_special_care
        else false(Reason("no_special_care_recorded"))
    )
    under = age_under(situation, limit)
    return any_of(under, special)


def _unattended(situation: ChildSituation) -> Finding:
    if nobody_cares(situation):
        return true(Reason("care_category_no_guardian"))
    if situation.left_unattended is None:
        return unknown("left_unattended")
    if situation.left_unattended:
        return true(Reason("left_unattended"))
    return false(Reason("not_left_unattended"))


def _unsuitable_carer(situation: ChildSituation, read: ParamReader) -> Finding:
    """The temporary carer: limited capacity, infectious disease, or otherwise unsuitable."""
    if nobody_cares(situation):
        return false()
    carer = caregiver(situation)
    capacity = full_civil_capacity(carer, read)
    return any_of(
        Finding(
            None if capacity.value is None else not capacity.value,
            capacity.reasons,
            capacity.missing,
        ),
        _lacks_care_capacity(carer),
        true(Reason("carer_infectious_disease"))
        if carer.infectious_disease
        else false(Reason("no_infectious_disease_recorded")),
        false(Reason("no_disqualifier_recorded"))
        if not carer.disqualifiers
        else true(*(Reason("carer_disqualified", {"ground": d}) for d in carer.disqualifiers)),
    )


def _lacks_care_capacity(carer: CaregiverFacts) -> Finding:
    if carer.has_care_capacity is None:
        return unknown("caregiver.has_care_capacity")
    if carer.has_care_capacity:
        return false(Reason("carer_has_care_capacity"))
    return true(Reason("carer_lacks_care_capacity"))


RULE = Rule(SPEC, evaluate)
