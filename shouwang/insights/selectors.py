"""Reads of the insights app: which areas a viewer may see, the dashboard's numbers, and
the children behind a number (drill-down), always within the viewer's scope.

- ``viewer_area``: the area of the dashboard. A viewer holds ``Cap.VIEW_INSIGHTS`` in one or
  more areas (director: her village; supervisor: the town; county officer: the county); an
  area outside them is "not found", like a missing one.
- ``dashboard``: reads the monthly table (``MonthlyAreaStat``, filled by ``shouwang insights
  refresh``) in two queries; the current month falls back to the live SQL when it was never
  refreshed, the trend shows gaps for months never stored.
- ``drilldown``: the children behind an indicator's shortfall, listed from
  ``scope(viewer, VIEW_INSIGHTS, Child)``: another town's children never appear, whatever
  area the request names.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import area_grants, scope
from shouwang.cases.models import Case, Visit
from shouwang.core.errors import NotFound
from shouwang.geo.models import Area
from shouwang.insights.indicators import (
    COVERAGE_DAYS,
    ELIGIBLE_RULES,
    HEADLINE,
    NARROW_SERVICE_CODES,
    SECTORS,
    WINDOW_DAYS,
    Indicator,
    add_months,
    indicators_by_child_area,
    indicators_for,
    month_end,
    month_start,
)
from shouwang.insights.models import MonthlyAreaStat
from shouwang.registry.models import Child
from shouwang.rules.models import Classification
from shouwang.services.models import Attendance, ServiceDelivery

TREND_MONTHS = 12


def viewer_areas(viewer) -> list[Area]:
    """The areas where ``viewer`` holds VIEW_INSIGHTS, widest first."""
    return sorted(area_grants(viewer, Cap.VIEW_INSIGHTS), key=lambda a: (len(a.path), a.path))


def viewer_area(viewer, code: str | None = None) -> Area:
    """The dashboard's area: ``code`` if it is in (or below) one of the viewer's areas,
    otherwise her widest area. An area out of reach is ``NotFound``."""
    areas = viewer_areas(viewer)
    if not areas:
        raise NotFound("no area")
    if not code:
        return areas[0]
    area = Area.objects.select_related("level", "parent").filter(code=code).first()
    if area is None or not any(area.path.startswith(a.path) for a in areas):
        raise NotFound("not found")
    return area


def sub_level(area: Area) -> str | None:
    """The level one below ``area`` (``None`` for a village)."""
    child = Area.objects.filter(parent=area).select_related("level").first()
    return child.level.slug if child else None


@dataclass
class Dashboard:
    area: Area
    month: dt.date
    headline: list[Indicator]
    all: dict[str, Indicator]
    sub_areas: list[tuple[Area, dict[str, Indicator]]]
    trend_months: list[dt.date]
    trends: dict[str, list[float | None]]
    welfare_mix: list[Indicator]
    computed_at: dt.datetime | None
    problems: list[Indicator] = field(default_factory=list)


def dashboard(*, area: Area, month: dt.date) -> Dashboard:
    month = month_start(month)
    subs = list(Area.objects.filter(parent=area).order_by("path"))
    months = [add_months(month, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    rows = MonthlyAreaStat.objects.filter(
        Q(area=area, month__in=months) | Q(area__in=subs, month=month)
    ).values_list("area_id", "month", "code", "value", "numerator", "denominator", "computed_at")
    own: dict[dt.date, dict[str, Indicator]] = {}
    by_sub: dict[int, dict[str, Indicator]] = {}
    computed_at = None
    for area_id, m, code, value, num, den, at in rows:
        indicator = Indicator.make(code, num, den, value)
        if area_id == area.pk:
            own.setdefault(m, {})[code] = indicator
            if m == month:
                computed_at = at
        else:
            by_sub.setdefault(area_id, {})[code] = indicator
    current = own.get(month)
    if current is None:  # never refreshed: compute this month live
        current = indicators_for(area=area, month=month)
        own[month] = current
        if subs:
            live = indicators_by_child_area(area=area, month=month, level=subs[0].level.slug)
            by_sub = {a.pk: live.get(a.code, {}) for a in subs}
    trends = {
        code: [own[m][code].value if m in own and code in own[m] else None for m in months]
        for code in HEADLINE
    }
    headline = [current[c] for c in HEADLINE if c in current]
    return Dashboard(
        area=area,
        month=month,
        headline=headline,
        all=current,
        sub_areas=[(a, by_sub.get(a.pk, {})) for a in subs],
        trend_months=months,
        trends=trends,
        welfare_mix=[
            current[f"sector_share_{s}"] for s in SECTORS if f"sector_share_{s}" in current
        ],
        computed_at=computed_at,
        problems=[i for i in current.values() if i.problem],
    )


# --- drill-down ---------------------------------------------------------------------

DRILLDOWNS = {
    "coverage_90d": _("Children with no service or visit in the last 90 days"),
    "participation_12m": _("Children who took part in no group activity in 12 months"),
    "narrow_mix_share": _("Children who got only material aid or visits in 12 months"),
    "named_responsible": _("Children without a named responsible person"),
}


def drilldown(*, viewer, area: Area, code: str, month: dt.date) -> QuerySet[Child]:
    """The eligible children of ``area`` that make ``code`` fall short, in the viewer's
    scope (``scope`` on Child with VIEW_INSIGHTS), ordered by village and name."""
    if code not in DRILLDOWNS:
        raise NotFound("no such list")
    end = month_end(month)
    since90 = end - dt.timedelta(days=COVERAGE_DAYS)
    since12 = end - dt.timedelta(days=WINDOW_DAYS)
    children = scope(viewer, Cap.VIEW_INSIGHTS, Child.objects.all()).filter(
        village__path__startswith=area.path
    )
    eligible = Exists(
        Classification.objects.filter(
            child=OuterRef("pk"), ended_at__isnull=True, status="yes", rule_id__in=ELIGIBLE_RULES
        )
    )
    children = children.filter(eligible)

    def delivered(since: dt.date, **extra) -> Exists:
        return Exists(
            ServiceDelivery.objects.filter(
                child=OuterRef("pk"), delivered_on__gt=since, delivered_on__lte=end, **extra
            )
        )

    def visited(since: dt.date) -> Exists:
        return Exists(
            Visit.objects.filter(child=OuterRef("pk"), visited_on__gt=since, visited_on__lte=end)
        )

    if code == "coverage_90d":
        children = children.exclude(delivered(since90)).exclude(visited(since90))
    elif code == "participation_12m":
        went = Attendance.objects.filter(
            child=OuterRef("pk"), activity__held_on__gt=since12, activity__held_on__lte=end
        )
        children = children.exclude(Exists(went))
    elif code == "narrow_mix_share":
        wide = Exists(
            ServiceDelivery.objects.filter(
                child=OuterRef("pk"), delivered_on__gt=since12, delivered_on__lte=end
            ).exclude(service_type__code__in=NARROW_SERVICE_CODES)
        )
        children = children.filter(delivered(since12) | visited(since12)).exclude(wide)
    elif code == "named_responsible":
        named = Case.objects.filter(
            child=OuterRef("pk"), responsible__isnull=False, opened_on__lte=end
        ).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        children = children.exclude(Exists(named))
    return children.select_related("village").order_by("village__path", "name_pinyin", "pk")
