"""The check at registration: is the child being registered already in the registry?

Candidates come from indexed lookups in the county (same ID number, same birth date, day
and month swapped, same name pinyin or initials); the shipped linkage model scores them
(Splink on DuckDB, a few dozen rows, without term frequencies: a handful of records says
nothing about how common a name is).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, can_on
from shouwang.duplicates import linkage
from shouwang.duplicates.keys import name_keys
from shouwang.duplicates.models import merged_away
from shouwang.duplicates.services import registry_records
from shouwang.geo.models import Area
from shouwang.registry.domain import Registration
from shouwang.registry.models import Child

WARN_AT = 0.8
MAX_CANDIDATES = 200
NEW = -1  # unique_id of the record being registered


@dataclass
class Candidate:
    child: Child
    probability: float
    match_weight: float
    visible: bool  # may the viewer open this child's record?
    agreement: dict[str, int] = field(default_factory=dict)


def _swapped(day: dt.date) -> dt.date | None:
    try:
        return day.replace(month=day.day, day=day.month) if day.day <= 12 else None
    except ValueError:
        return None


def likely_duplicates(
    *, viewer: Actor, registration: Registration, village: Area, threshold: float = WARN_AT
) -> list[Candidate]:
    """Registered children of the village's county that are likely the same child."""
    child = registration.child
    county = village.ancestor_at("county") or village
    _chars, py, ini, _fz, _s = name_keys(child.name)
    q = Q(birth_date=child.birth_date)
    if child.id_number:
        q |= Q(id_number=child.id_number.upper())
    if swapped := _swapped(child.birth_date):
        q |= Q(birth_date=swapped)
    if py:
        q |= Q(name_pinyin=py)
    if ini and len(ini) >= 2:
        q |= Q(name_initials=ini, birth_date__year=child.birth_date.year)
    pool = (
        Child.objects.filter(q, county=county)
        .exclude(pk__in=merged_away())
        .order_by("pk")[:MAX_CANDIDATES]
    )
    records = list(registry_records(Child.objects.filter(pk__in=[c.pk for c in pool])))
    if not records:
        return []
    records.append(
        {
            "unique_id": NEW,
            "name": child.name,
            "sex": child.sex,
            "birth_date": child.birth_date,
            "id_number": child.id_number,
            "village": village.code,
            "county": county.code[:6],
            "father_name": registration.father.name,
            "mother_name": registration.mother.name,
            "carer_name": registration.caregiver.name,
        }
    )
    result = linkage.link(records, threshold=threshold, term_frequencies=False, threads=1)
    scores = {
        (link.right if link.left == NEW else link.left): link
        for link in result.links
        if NEW in (link.left, link.right)
    }
    children = Child.objects.filter(pk__in=scores).select_related("village", "village__parent")
    found = [
        Candidate(
            child=c,
            probability=scores[c.pk].match_probability,
            match_weight=scores[c.pk].match_weight,
            visible=can_on(viewer, Cap.VIEW_CHILD, c),
            agreement=scores[c.pk].detail,
        )
        for c in children
    ]
    return sorted(found, key=lambda c: -c.match_weight)
