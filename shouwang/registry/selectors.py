"""Reads of the registry. Every list starts from ``access.policies.scope``."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, area_grants, grants, scope
from shouwang.accounts.models import Organisation
from shouwang.duplicates.models import merged_away
from shouwang.geo.models import Area
from shouwang.lib.pinyin import has_han, normalise_name, search_key
from shouwang.registry.models import CareArrangement, Child, ChildRelation, ParentAbsence, Person
from shouwang.rules.models import Classification

_ID_QUERY = re.compile(r"^\d{6,17}[\dXx]?$")


@dataclass(frozen=True)
class ChildFilters:
    query: str = ""
    village: Area | None = None
    sex: str = ""
    care: str = ""
    age_min: int | None = None
    age_max: int | None = None
    alert: str = ""  # "red": an urgent alert; "any": any alert (rules.Classification)


def _birth_date_bounds(
    today: dt.date, age_min: int | None, age_max: int | None
) -> tuple[dt.date | None, dt.date | None]:
    """Ages in completed years -> the range of birth dates (earliest, latest)."""
    latest = _years_before(today, age_min) if age_min is not None else None
    earliest = (
        _years_before(today, age_max + 1) + dt.timedelta(days=1) if age_max is not None else None
    )
    return earliest, latest


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def search_children(qs: QuerySet[Child], query: str) -> QuerySet[Child]:
    """Match by characters (张红梅), full pinyin (zhanghongmei), initials (zhm) or ID number.

    Annotates ``match_rank`` (0 best): a name that starts with what was typed comes before
    one that merely contains it, so "zh" lists the 张 and 赵 before 程家哲.
    """
    text = query.strip()
    if not text:
        return qs.annotate(match_rank=Value(0))
    if has_han(text):
        name = normalise_name(text)
        return qs.filter(name__contains=name).annotate(
            match_rank=Case(When(name__startswith=name, then=Value(0)), default=Value(1))
        )
    if _ID_QUERY.match(text):
        return qs.filter(id_number__startswith=text.upper()).annotate(match_rank=Value(0))
    key = search_key(text)
    if not key:
        return qs.annotate(match_rank=Value(0))
    return qs.filter(Q(name_initials__startswith=key) | Q(name_pinyin__contains=key)).annotate(
        match_rank=Case(
            When(name_pinyin__startswith=key, then=Value(0)),
            When(name_initials__startswith=key, then=Value(1)),
            default=Value(2),
        )
    )


def child_list(*, viewer: Actor, filters: ChildFilters | None = None) -> QuerySet[Child]:
    """The children ``viewer`` may see, filtered, with what the list page shows."""
    f = filters or ChildFilters()
    qs = scope(viewer, Cap.VIEW_CHILD, Child.objects.all())
    qs = qs.exclude(pk__in=merged_away())  # a record merged into another is not listed
    qs = search_children(qs, f.query)
    if f.village is not None:
        qs = qs.filter(village__path__startswith=f.village.path)
    if f.sex:
        qs = qs.filter(sex=f.sex)
    current_care = CareArrangement.objects.filter(child=OuterRef("pk"), ended_on__isnull=True)
    qs = qs.annotate(care_category=Subquery(current_care.values("category")[:1]))
    if f.care:
        qs = qs.filter(care_category=f.care)
    alerts = Classification.objects.filter(child=OuterRef("pk"), ended_at__isnull=True)
    qs = qs.annotate(
        red_alert=Exists(alerts.filter(alert_level="red")),
        any_alert=Exists(alerts.exclude(alert_level="")),
    )
    if f.alert == "red":
        qs = qs.filter(red_alert=True)
    elif f.alert == "any":
        qs = qs.filter(any_alert=True)
    earliest, latest = _birth_date_bounds(timezone.localdate(), f.age_min, f.age_max)
    if earliest is not None:
        qs = qs.filter(birth_date__gte=earliest)
    if latest is not None:
        qs = qs.filter(birth_date__lte=latest)
    return (
        qs.select_related("village")
        .annotate(
            parents_away=Count(
                "relations",
                filter=Q(
                    relations__relation__in=ChildRelation.PARENTS,
                    relations__person__situation=Person.Situation.WORKING_AWAY,
                ),
            )
        )
        .order_by("match_rank", "name_pinyin", "birth_date", "pk")
    )


def child_profile(child: Child) -> Child:
    """Load what the profile page shows in a fixed number of queries."""
    absences = Prefetch("person__absences", queryset=ParentAbsence.objects.order_by("-since"))
    relations = Prefetch(
        "relations",
        queryset=ChildRelation.objects.select_related("person").prefetch_related(absences),
    )
    care = Prefetch(
        "care_arrangements",
        queryset=CareArrangement.objects.select_related("caregiver").order_by("-ended_on", "-pk"),
    )
    return (
        Child.objects.select_related("village", "village__parent", "household", "school", "county")
        .prefetch_related(relations, care)
        .get(pk=child.pk)
    )


def villages_for_viewer(*, viewer: Actor, cap: Cap = Cap.VIEW_CHILD) -> QuerySet[Area]:
    """Villages the viewer reaches by an area-route grant (for filters and the register form)."""
    paths = [area.path for area in area_grants(viewer, cap)]
    if not paths:
        return Area.objects.none()
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return Area.objects.filter(q, level__slug="village").select_related("parent").order_by("path")


def schools_for_viewer(*, viewer: Actor, cap: Cap) -> QuerySet[Organisation]:
    """Schools in the counties where the viewer may register or change children."""
    counties = {a.ancestor_at("county") for a in area_grants(viewer, cap)} - {None}
    q = Q()
    for county in counties:
        q |= Q(area__path__startswith=county.path)  # type: ignore[union-attr]
    if not counties:
        return Organisation.objects.none()
    return Organisation.objects.filter(q, org_type=Organisation.Type.SCHOOL, active=True).order_by(
        "name_zh"
    )


def viewer_scope_label(viewer: Actor) -> list[str]:
    """Human labels of the viewer's grants (shown in the header)."""
    return [f"{g.get_role_display()} · {g.organisation or g.area}" for g in grants(viewer)]
