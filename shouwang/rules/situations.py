"""From the registry to the engine: build a child's ``ChildSituation`` as of a date.

The engine never sees the ORM; this is the one place that reads registry and case
records for it. A fact the registry does not hold is passed as ``None`` ("not known"),
never as ``False``, so that a rule says "cannot determine" rather than a silent "no".
"""

import datetime as dt
from collections import defaultdict
from functools import cache

from django.conf import settings

from shouwang.cases.selectors import last_contacts, last_contacts_of
from shouwang.registry.models import CareArrangement, Child, ChildRelation, Person
from shouwang.rules.engine.params import NATIONAL, ParameterSet, load_overlay
from shouwang.rules.engine.situation import CaregiverFacts, ChildSituation, ParentFacts

IN_EDUCATION = {
    Child.SchoolStage.PRIMARY: True,
    Child.SchoolStage.JUNIOR: True,
    Child.SchoolStage.SENIOR: True,
    Child.SchoolStage.OUT_OF_SCHOOL: False,
}


@cache
def rule_parameters() -> ParameterSet:
    """The national parameters with the deployment's province/county overlays on top
    (``SHOUWANG_RULE_OVERLAYS``: JSON files, see docs/rules.md)."""
    params = NATIONAL
    for path in getattr(settings, "SHOUWANG_RULE_OVERLAYS", []):
        params = load_overlay(path, params)
    return params


def _parent_facts(
    person: Person | None, contacts: dict[int, tuple[dt.date | None, dt.date | None]]
) -> ParentFacts | None:
    if person is None:
        return None
    with_child, with_carer = contacts.get(person.pk, (None, None))
    return ParentFacts(
        situation=None if person.situation == Person.Situation.UNKNOWN else person.situation,
        lacks_guardianship_capacity=person.lacks_guardianship_capacity,
        incapacity_reason=person.incapacity_reason or None,
        disability_grade=person.disability_grade,
        disability_type=person.disability_type or None,
        serious_illness_listed=person.serious_illness_listed,
        restriction=person.restriction or None,
        restriction_term_months=person.restriction_term_months,
        restriction_started_on=person.restriction_started_on,
        lost_contact_police_accepted_on=person.lost_contact_police_accepted_on,
        declared_dead=person.situation == Person.Situation.DECEASED,
        declared_missing=person.declared_missing,
        guardianship_revoked=person.guardianship_revoked,
        deported=person.deported,
        last_contact_with_child_on=with_child,
        last_contact_with_caregiver_on=with_carer,
    )


def _caregiver_facts(
    care: CareArrangement | None, relations: dict[int, str], asof: dt.date
) -> CaregiverFacts | None:
    if care is None:
        return None
    carer = care.caregiver
    if carer is None:
        return CaregiverFacts(relation="none")
    age = _age_from_year(carer.birth_year, asof)
    return CaregiverFacts(
        relation=relations.get(carer.pk),
        age=age,
        self_supporting=carer.self_supporting,
        has_care_capacity=care.has_care_capacity,
        disqualifiers=tuple(care.disqualifiers),
        disqualifiers_checked=care.disqualifiers_checked,
        child_views_heard=care.child_views_heard,
        notice_to_school_on=care.notice_to_school_on,
        notice_to_village_on=care.notice_to_village_on,
        infectious_disease=carer.infectious_disease,
    )


def _age_from_year(birth_year: int | None, asof: dt.date) -> int | None:
    """Completed years from a year of birth alone: the lower of the two possible ages, or
    ``None`` when the two straddle a legal threshold (16 or 18: full civil capacity,
    民法典 Art. 18), so that the rule says "cannot determine" instead of guessing."""
    if birth_year is None:
        return None
    older = asof.year - birth_year  # after this year's birthday
    if older in AGE_THRESHOLDS:
        return None
    return max(older - 1, 0)


AGE_THRESHOLDS = {16, 18}


def situation_for_child(child: Child, *, asof: dt.date) -> ChildSituation:
    """Everything the rules need about ``child`` on ``asof`` (a handful of queries)."""
    links = list(ChildRelation.objects.filter(child=child).select_related("person"))
    care = (
        CareArrangement.objects.filter(child=child, ended_on__isnull=True)
        .select_related("caregiver")
        .first()
    )
    return _situation(child, links, care, last_contacts(child=child), asof=asof)


def situations_for_children(children: list[Child], *, asof: dt.date) -> dict[int, ChildSituation]:
    """``situation_for_child`` for many children (household, county and village already
    loaded), in three queries whatever their number: the nightly job's reads."""
    ids = [child.pk for child in children]
    links: dict[int, list[ChildRelation]] = defaultdict(list)
    for link in ChildRelation.objects.filter(child_id__in=ids).select_related("person"):
        links[link.child_id].append(link)
    cares: dict[int, CareArrangement] = {}
    # At most one current arrangement per child (a constraint); the ordering is that of
    # ``situation_for_child``'s ``.first()`` all the same.
    for care in (
        CareArrangement.objects.filter(child_id__in=ids, ended_on__isnull=True)
        .select_related("caregiver")
        .order_by("child_id", "-since", "pk")
    ):
        cares.setdefault(care.child_id, care)
    contacts = last_contacts_of(child_ids=ids)
    return {
        child.pk: _situation(
            child, links[child.pk], cares.get(child.pk), contacts.get(child.pk, {}), asof=asof
        )
        for child in children
    }


def _situation(
    child: Child,
    links: list[ChildRelation],
    care: CareArrangement | None,
    contacts: dict[int, tuple[dt.date | None, dt.date | None]],
    *,
    asof: dt.date,
) -> ChildSituation:
    relations = {link.person_id: link.relation for link in links}
    parents = {
        link.relation: link.person for link in links if link.relation in ("father", "mother")
    }
    household = child.household
    county_code = child.county.code[:6]
    return ChildSituation(
        asof=asof,
        birth_date=child.birth_date,
        hukou_type=child.hukou_type,
        father=_parent_facts(parents.get("father"), contacts),
        mother=_parent_facts(parents.get("mother"), contacts),
        care_category=care.category if care else None,
        caregiver=_caregiver_facts(care, relations, asof),
        lives_alone=child.lives_alone,
        left_unattended=child.left_unattended,
        needs_special_care=child.needs_special_care,
        health_status=child.health_status,
        disability_grade=child.disability_grade,
        household_dibao=household.dibao,
        household_tekun=household.tekun,
        household_poverty_registered=household.poverty_registered,
        poverty_hardship=child.poverty_hardship,
        safety_concerns=tuple(child.safety_concerns),
        in_full_time_education=IN_EDUCATION.get(child.school_stage),
        province_code=county_code[:2],
        county_code=county_code,
    )
