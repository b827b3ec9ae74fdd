"""De facto unsupported child (事实无人抚养儿童), pre-screening only: DOMAIN.md §3.

民发〔2019〕62号 as amended by 民发〔2020〕125号. A child under 18 (or, where a province has
the option on, 18 or over and in full-time education), and either

- (A) both parents are each in a situation of the set S; or
- (B) one parent is dead (死亡) or court-declared missing (宣告失踪) and the other is in S′.

S (62号): severe disability, serious illness, prison or detention, compulsory drug
rehabilitation, another restriction of liberty, lost contact; 125号 adds guardianship
revoked. S′ = S + deported (125号). Whether deportation counts in branch A is a setting
(sources disagree; default off). The sets are dated parameters, so an evaluation as of
2020 uses 62号's list and one as of 2021 or later uses 125号's.

Each situation has its conditions (operational definitions of the county and municipal
implementing texts, [V2]): severe disability is grade 1-2 of any type or grade 3-4 mental
or intellectual disability; serious illness is on the county's list; lost contact counts from
the day the police accepted the report and needs 180 days; a restriction of liberty needs a
term of 6 months or more (and must not have ended).

This is a pre-screening: the township verifies and the county civil affairs bureau confirms.
Every outcome says so.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from shouwang.rules.engine.citations import MINFA_2019_62, MINFA_2020_125
from shouwang.rules.engine.facts import PARENTS, age, age_under, known_situation, other, parent
from shouwang.rules.engine.logic import Finding, all_of, any_of, false, true, unknown
from shouwang.rules.engine.outcome import Outcome, Reason
from shouwang.rules.engine.params import NATIONAL, ParameterSet, ParamReader
from shouwang.rules.engine.situation import RESTRICTIONS, ChildSituation, ParentFacts
from shouwang.rules.engine.spec import Rule, RuleSpec

SPEC = RuleSpec(
    rule_id="fuc_prescreen",
    version="2019.1",
    title=_("De facto unsupported child (pre-screening)"),
    effective_from=dt.date(2020, 1, 1),
    parameter_keys=(
        "fuc.age_limit",
        "fuc.extend_while_in_education",
        "fuc.situations_both_parents",
        "fuc.situations_other_parent",
        "fuc.deportation_counts_in_both_parents_branch",
        "fuc.lost_contact_min_days",
        "fuc.restriction_min_months",
        "fuc.severe_disability_any_type_grades",
        "fuc.severe_disability_specific_grades",
        "fuc.severe_disability_specific_types",
    ),
    citations=(MINFA_2019_62, MINFA_2020_125),
)

BOTH_PARENTS = "both_parents"
ONE_PARENT_DEAD_OR_MISSING = "one_parent_dead_or_missing"


@dataclass(frozen=True)
class _Limits:
    lost_contact_days: int
    restriction_months: int
    any_type_grades: tuple[int, ...]
    specific_grades: tuple[int, ...]
    specific_types: tuple[str, ...]


def evaluate(situation: ChildSituation, params: ParameterSet = NATIONAL) -> Outcome:
    """Does the recorded situation meet the 事实无人抚养儿童 criteria? Pre-screening only."""
    read = SPEC.reader(params, situation)
    limits = _Limits(
        lost_contact_days=read("fuc.lost_contact_min_days"),
        restriction_months=read("fuc.restriction_min_months"),
        any_type_grades=read("fuc.severe_disability_any_type_grades"),
        specific_grades=read("fuc.severe_disability_specific_grades"),
        specific_types=read("fuc.severe_disability_specific_types"),
    )
    other_set = frozenset(read("fuc.situations_other_parent"))
    both_set = set(read("fuc.situations_both_parents"))
    if "deported" in other_set and read("fuc.deportation_counts_in_both_parents_branch"):
        both_set.add("deported")
    conditions = {w: _conditions(parent(situation, w), w, situation.asof, limits) for w in PARENTS}
    branch_a = _branch_both(situation, conditions, frozenset(both_set), other_set)
    branch_b = _branch_one(situation, conditions, other_set)
    finding = all_of(_age(situation, read), any_of(branch_a, branch_b))
    value = None
    if finding.value:
        value = BOTH_PARENTS if branch_a.value else ONE_PARENT_DEAD_OR_MISSING
    reasons = [Reason("fuc_prescreen_only"), *finding.reasons]
    if finding.value is False and all(_dead_or_missing(situation, w).value for w in PARENTS):
        reasons.append(Reason("fuc_orphan_scheme"))
    return SPEC.outcome(
        situation, read, Finding(finding.value, tuple(reasons), finding.missing), value=value
    )


def _age(situation: ChildSituation, read: ParamReader) -> Finding:
    """Under 18; with the provincial option, 18 or over while in full-time education."""
    limit = read("fuc.age_limit")
    under = age_under(situation, limit)
    if under.value is not False or not read("fuc.extend_while_in_education"):
        return under
    years = age(situation)
    if situation.in_full_time_education is None:
        return unknown("in_full_time_education", reasons=under.reasons)
    if situation.in_full_time_education:
        return true(Reason("fuc_in_education_extension", {"age": years, "limit": limit}))
    return false(*under.reasons, Reason("fuc_not_in_education"))


def _branch_both(
    situation: ChildSituation,
    conditions: dict[str, dict[str, Finding]],
    allowed: frozenset[str],
    other_allowed: frozenset[str],
) -> Finding:
    """Branch A: both parents in S."""
    finding = all_of(
        *(_in_set(parent(situation, w), w, conditions[w], allowed, other_allowed) for w in PARENTS)
    )
    if finding.value:
        return true(Reason("fuc_branch_both_parents"), *finding.reasons)
    return finding


def _branch_one(
    situation: ChildSituation,
    conditions: dict[str, dict[str, Finding]],
    allowed: frozenset[str],
) -> Finding:
    """Branch B: one parent dead or declared missing, the other in S′."""
    options = []
    for which in PARENTS:
        partner = other(which)
        finding = all_of(
            _dead_or_missing(situation, which),
            _in_set(parent(situation, partner), partner, conditions[partner], allowed, allowed),
        )
        if finding.value:
            params = {"parent": which, "other_parent": partner}
            finding = true(Reason("fuc_branch_one_parent", params), *finding.reasons)
        options.append(finding)
    return any_of(*options)


def _in_set(
    facts: ParentFacts,
    which: str,
    conditions: dict[str, Finding],
    allowed: frozenset[str],
    other_allowed: frozenset[str],
) -> Finding:
    """Is the parent in one of the ``allowed`` situations on asof?"""
    findings = []
    for code, finding in conditions.items():
        if code in allowed:
            findings.append(finding)
        elif finding.value:
            why = (
                "fuc_situation_only_one_parent_branch"
                if code in other_allowed
                else "fuc_situation_not_in_force"
            )
            params = {"parent": which, "fuc_situation": code}
            findings.append(false(*finding.reasons, Reason(why, params)))
    if known_situation(facts) is None:
        findings.append(unknown(f"{which}.situation"))
    else:
        findings.append(false(Reason("fuc_no_qualifying_situation", {"parent": which})))
    return any_of(*findings)


def _dead_or_missing(situation: ChildSituation, which: str) -> Finding:
    """死亡 (natural or declared death) or 失踪 (declared missing by a court)."""
    facts = parent(situation, which)
    state = known_situation(facts)
    params = {"parent": which}
    if facts.declared_dead or state == "deceased":
        return true(Reason("fuc_parent_dead", params))
    if facts.declared_missing:
        return true(Reason("fuc_parent_declared_missing", params))
    if state == "missing":
        if facts.declared_missing is None:
            return unknown(f"{which}.declared_missing")
        return false(Reason("fuc_parent_missing_not_declared", params))
    if state is None and not (facts.declared_dead is False and facts.declared_missing is False):
        return unknown(f"{which}.situation")
    return false(Reason("fuc_parent_not_dead_or_missing", params))


def _conditions(
    facts: ParentFacts, which: str, asof: dt.date, limits: _Limits
) -> dict[str, Finding]:
    """Each 62号/125号 situation of one parent, judged on its own evidence."""
    conditions = {
        "severe_disability": _severe_disability(facts, which, limits),
        "serious_illness": _serious_illness(facts, which),
        **{code: false() for code in RESTRICTIONS},
        "lost_contact": _lost_contact(facts, which, asof, limits.lost_contact_days),
        "guardianship_revoked": (
            true(Reason("fuc_guardianship_revoked", {"parent": which}))
            if facts.guardianship_revoked
            else false()
        ),
        "deported": (
            true(Reason("fuc_deported", {"parent": which})) if facts.deported else false()
        ),
    }
    restriction = _restriction(facts, which, asof, limits.restriction_months)
    if restriction is not None:
        conditions[facts.restriction or "other_liberty_restriction"] = restriction
    return conditions


def _severe_disability(facts: ParentFacts, which: str, limits: _Limits) -> Finding:
    """重残: grade 1-2 of any type, or grade 3-4 mental or intellectual (残疾人证)."""
    grade, kind = facts.disability_grade, facts.disability_type
    if grade is None and kind is None and facts.incapacity_reason != "severe_disability":
        return false()
    if grade is None:
        return unknown(f"{which}.disability_grade")
    params = {"parent": which, "grade": grade, "disability_type": kind or "not_given"}
    if grade in limits.any_type_grades:
        return true(Reason("fuc_severe_disability", params))
    if grade in limits.specific_grades:
        if kind is None:
            return unknown(f"{which}.disability_type")
        if kind in limits.specific_types:
            return true(Reason("fuc_severe_disability", params))
    return false(Reason("fuc_disability_not_severe", params))


def _serious_illness(facts: ParentFacts, which: str) -> Finding:
    """重病: an illness on the county's list of major, endemic or 重特大 diseases."""
    params = {"parent": which}
    if facts.serious_illness_listed:
        return true(Reason("fuc_serious_illness", params))
    if facts.serious_illness_listed is False:
        return false(Reason("fuc_illness_not_listed", params))
    if facts.incapacity_reason == "severe_illness":
        return unknown(f"{which}.serious_illness_listed")
    return false()


def _restriction(facts: ParentFacts, which: str, asof: dt.date, min_months: int) -> Finding | None:
    """服刑在押 / 强制隔离戒毒 / 其他限制人身自由: a term of 6 months or more, not yet ended."""
    if facts.restriction is None and facts.restriction_term_months is None:
        return None
    if facts.restriction is None:
        return unknown(f"{which}.restriction")
    term = facts.restriction_term_months
    if term is None:
        return unknown(f"{which}.restriction_term_months")
    params = {
        "parent": which,
        "restriction": facts.restriction,
        "months": term,
        "min_months": min_months,
    }
    if term < min_months:
        return false(Reason("fuc_restriction_too_short", params))
    if facts.restriction_started_on is not None:
        ends = add_months(facts.restriction_started_on, term)
        if ends <= asof:
            return false(Reason("fuc_restriction_ended", {**params, "ended_on": ends.isoformat()}))
    return true(Reason("fuc_restriction", params))


def _lost_contact(facts: ParentFacts, which: str, asof: dt.date, min_days: int) -> Finding:
    """失联: 180 days or more since the police accepted the report."""
    accepted = facts.lost_contact_police_accepted_on
    if accepted is None:
        if known_situation(facts) == "missing" and not facts.declared_missing:
            return unknown(f"{which}.lost_contact_police_accepted_on")
        return false()
    days = (asof - accepted).days
    params = {"parent": which, "days": days, "min_days": min_days}
    if days >= min_days:
        return true(Reason("fuc_lost_contact", params))
    return false(Reason("fuc_lost_contact_not_yet", {**params, "days_remaining": min_days - days}))


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus ``months`` calendar months (31 January + 1 month = 28/29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


RULE = Rule(SPEC, evaluate)
