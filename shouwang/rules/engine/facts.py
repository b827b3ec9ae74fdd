"""Small readings of the situation shared by several rules (age, parents, who cares)."""

from shouwang.lib.dates import full_years
from shouwang.rules.engine.logic import Finding, false, true, unknown
from shouwang.rules.engine.outcome import Reason
from shouwang.rules.engine.situation import (
    GRANDPARENT_RELATIONS,
    NO_CAREGIVER,
    OTHER_RELATIONS,
    PARENT_RELATIONS,
    CaregiverFacts,
    ChildSituation,
    ParentFacts,
)

PARENTS = ("father", "mother")
_NOT_RECORDED = ParentFacts(situation=None)
_NO_CAREGIVER_FACTS = CaregiverFacts(relation=None)


def parent(situation: ChildSituation, which: str) -> ParentFacts:
    """The father's or mother's facts; an absent record is a parent about whom nothing is known."""
    facts = getattr(situation, which)
    return facts if facts is not None else _NOT_RECORDED


def other(which: str) -> str:
    return "mother" if which == "father" else "father"


def known_situation(facts: ParentFacts) -> str | None:
    """The parent's situation; "unknown" is not known (None) unless a declared death or
    disappearance says it."""
    if facts.situation not in {None, "unknown"}:
        return facts.situation
    if facts.declared_dead:
        return "deceased"
    if facts.declared_missing:
        return "missing"
    return None


def caregiver(situation: ChildSituation) -> CaregiverFacts:
    return situation.caregiver if situation.caregiver is not None else _NO_CAREGIVER_FACTS


def age(situation: ChildSituation) -> int | None:
    """The child's age in completed years (周岁) on asof, or None if the birth date is unknown."""
    if situation.birth_date is None:
        return None
    return full_years(situation.birth_date, situation.asof)


def age_under(situation: ChildSituation, limit: int) -> Finding:
    """Is the child under ``limit`` in completed years on asof (不满 N 周岁)?"""
    years = age(situation)
    if years is None:
        return unknown("birth_date")
    params = {"age": years, "limit": limit}
    return (
        true(Reason("age_under", params))
        if years < limit
        else false(Reason("age_not_under", params))
    )


def parent_working_away(facts: ParentFacts, which: str) -> Finding:
    """Is this parent away for work (外出务工)?"""
    situation = known_situation(facts)
    if situation is None:
        return unknown(f"{which}.situation")
    if situation == "working_away":
        return true(Reason("parent_working_away", {"parent": which}))
    return false(Reason("parent_not_working_away", {"parent": which, "situation": situation}))


def nobody_cares(situation: ChildSituation) -> bool:
    """Recorded as cared for by nobody (无人监护): category no_guardian or relation "none"."""
    return situation.care_category == "no_guardian" or caregiver(situation).relation == NO_CAREGIVER


def parent_cares(situation: ChildSituation) -> str | None:
    """ "father" / "mother" when a parent is the day-to-day caregiver; else None."""
    relation = caregiver(situation).relation
    if relation in PARENT_RELATIONS:
        return relation
    if situation.care_category in {"parent", "parent_at_home_incapable"}:
        return "parent"
    return None


def relation_category(relation: str | None) -> str | None:
    """The care category a non-parent relation implies (DOMAIN.md §1.2)."""
    if relation in GRANDPARENT_RELATIONS:
        return "grandparents"
    if relation in OTHER_RELATIONS:
        return "other_relative_or_friend"
    if relation == NO_CAREGIVER:
        return "no_guardian"
    return None
