"""The diagnostic report of a town for a period: the field study's diagnosis, generated.

``report_area`` finds the town within the viewer's reach (else ``NotFound``);
``parse_period`` reads ``from``/``to`` (YYYY-MM); ``build_report`` reads the indicators of
the last month of the period (and of the first, for the change) through
``insights.indicators`` and turns them into sentences with ``report_rules.diagnose``.
Nothing here reads a child's record.
"""

import datetime as dt
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, area_grants
from shouwang.core.errors import NotFound, ValidationFailed
from shouwang.geo.models import Area
from shouwang.insights import report_rules as rules

MAX_MONTHS = 24


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_month(value: str) -> dt.date:
    try:
        parsed = dt.datetime.strptime(value.strip(), "%Y-%m")  # noqa: DTZ007 (a month, no time)
    except ValueError:
        raise ValidationFailed(
            _("“%(value)s” is not a month: write it as YYYY-MM, e.g. 2026-06.") % {"value": value}
        ) from None
    return parsed.date()


def parse_period(start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    """(first month, last month) from ``YYYY-MM`` strings; the last defaults to this month
    and the first to the last. At most ``MAX_MONTHS`` months, never in the future."""
    this_month = month_start(timezone.localdate())
    last = parse_month(end) if end else this_month
    first = parse_month(start) if start else last
    if first > last:
        raise ValidationFailed(_("The first month must not come after the last month."))
    if last > this_month:
        raise ValidationFailed(_("The period must not end in the future."))
    if add_months(first, MAX_MONTHS) <= last:
        raise ValidationFailed(
            _("A report covers at most %(n)s months: choose a shorter period.") % {"n": MAX_MONTHS}
        )
    return first, last


def viewer_areas(viewer: Actor, cap: Cap) -> list[Area]:
    return area_grants(viewer, cap)


def report_towns(viewer: Actor) -> list[Area]:
    """The townships the viewer may open the report for (her own and those below her)."""
    grants = viewer_areas(viewer, Cap.VIEW_INSIGHTS)
    towns: dict[int, Area] = {}
    for grant in grants:
        qs = Area.objects.filter(path__startswith=grant.path, level__slug="township")
        for town in qs.select_related("level"):
            towns[town.pk] = town
    return sorted(towns.values(), key=lambda a: a.path)


def report_area(viewer: Actor, code: str | None) -> Area:
    """The township ``code`` if it lies within the viewer's ``VIEW_INSIGHTS`` areas; the
    same ``NotFound`` for a missing, malformed, non-township or out-of-reach code."""
    area = (
        Area.objects.filter(code=(code or "").strip(), level__slug="township")
        .select_related("level", "parent")
        .first()
    )
    if area is None or not any(area.is_within(g) for g in viewer_areas(viewer, Cap.VIEW_INSIGHTS)):
        raise NotFound(_("Area not found."))
    return area


def indicator_api() -> ModuleType:
    """``insights.indicators`` (imported late: the report reads it, never the reverse)."""
    from shouwang.insights import indicators  # noqa: PLC0415

    return indicators


def _indicators_for(*, area: Area, month: dt.date) -> dict[str, Any]:
    return indicator_api().indicators_for(area=area, month=month)


@dataclass
class CauseAspect:
    title: str
    causes: list[rules.Finding]


@dataclass
class SectorRecommendations:
    title: str
    recommendations: list[rules.Finding]


@dataclass
class Report:
    area: Area
    first: dt.date
    last: dt.date
    title: str
    subtitle: str
    frame: str
    method_note: str
    no_problem_text: str
    indicators: dict[str, Any]
    problems: list[rules.Problem]
    causes: list[rules.Finding]
    recommendations: list[rules.Finding]
    cause_aspects: list[CauseAspect] = field(default_factory=list)
    sector_recommendations: list[SectorRecommendations] = field(default_factory=list)

    @property
    def query(self) -> str:
        return f"area={self.area.code}&from={self.first:%Y-%m}&to={self.last:%Y-%m}"


def build_report(*, area: Area, first: dt.date, last: dt.date) -> Report:
    """The report for ``area`` over the months ``first``..``last``, in the active language."""
    indicators = _indicators_for(area=area, month=last)
    diagnosis = rules.diagnose(indicators)
    if first != last:
        earlier = _indicators_for(area=area, month=first)
        for problem in diagnosis.problems:
            for i, ind in enumerate(problem.indicators):
                before = earlier.get(ind.code)
                if before is not None:
                    problem.lines[i] += " " + _("In %(month)s: %(value)s.") % {
                        "month": f"{first:%Y-%m}",
                        "value": rules.format_value(before.value, before.unit),
                    }
    period = (
        f"{first:%Y-%m}"
        if first == last
        else _("%(first)s to %(last)s")
        % {
            "first": f"{first:%Y-%m}",
            "last": f"{last:%Y-%m}",
        }
    )
    report = Report(
        area=area,
        first=first,
        last=last,
        title=_("Diagnostic report: %(area)s") % {"area": area.display_name},
        subtitle=_("Period %(period)s · generated %(today)s")
        % {"period": period, "today": f"{timezone.localdate():%Y-%m-%d}"},
        frame=_(
            "This report follows the field study of S-town: the problems found, their causes "
            "by subject, policy and resource, and recommendations for each welfare sector."
        ),
        method_note=_(
            "Generated from the indicators of the last month of the period by the report rules "
            "published with the platform (see its documentation); thresholds are our choice, "
            "not law. A number is a prompt to look closer, not a judgement of anyone's work."
        ),
        no_problem_text=_(
            "No problem found: every indicator of %(area)s is within its threshold for %(month)s."
        )
        % {"area": area.display_name, "month": f"{last:%Y-%m}"},
        indicators=indicators,
        problems=diagnosis.problems,
        causes=diagnosis.causes,
        recommendations=diagnosis.recommendations,
    )
    for group, title in rules.CAUSE_GROUPS.items():
        found = [c for c in diagnosis.causes if c.group == group]
        if found:
            report.cause_aspects.append(CauseAspect(str(title), found))
    for sector, title in rules.SECTORS.items():
        found = [r for r in diagnosis.recommendations if r.group == sector]
        if found:
            report.sector_recommendations.append(SectorRecommendations(str(title), found))
    return report
