"""The township and county dashboards (issue 7 part 2) and their drill-down lists.

Both pages need ``Cap.VIEW_INSIGHTS``; the area comes from the query string and must lie in
one of the viewer's areas (``selectors.viewer_area``: 404 otherwise); the children of a
drill-down come from ``scope()`` on Child.
"""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can
from shouwang.access.views import requires
from shouwang.insights import selectors
from shouwang.insights.indicators import HEADLINE, LABELS, PROBLEMS, UNITS, month_start
from shouwang.insights.report import report_towns
from shouwang.insights.templatetags.insights_tags import number

BAR_CODES = (
    "coverage_90d",
    "narrow_mix_share",
    "named_responsible",
    "served_k_of_m",
    "followup_on_time",
    "weekly_contact_4w",
)


def _month(request: HttpRequest) -> dt.date:
    """``?month=YYYY-MM``; anything else gets a message and this month."""
    today = month_start(timezone.localdate())
    raw = (request.GET.get("month") or "").strip()
    if not raw:
        return today
    try:
        month = dt.datetime.strptime(raw, "%Y-%m").date()  # noqa: DTZ007  (a month)
    except ValueError:
        messages.error(request, _("The month must look like 2026-10; showing this month."))
        return today
    if month > today or month.year < 2000:
        messages.error(request, _("There are no figures for that month; showing this month."))
        return today
    return month


def _chart_data(board: selectors.Dashboard) -> dict:
    return {
        "months": [m.strftime("%Y-%m") for m in board.trend_months],
        "trends": {
            code: {"label": str(LABELS[code]), "values": values}
            for code, values in board.trends.items()
        },
        "bars": {
            "areas": [a.display_name for a, _i in board.sub_areas],
            "series": {
                code: {
                    "label": str(LABELS[code]),
                    "values": [i[code].value if code in i else None for _a, i in board.sub_areas],
                }
                for code in BAR_CODES[:4]
            },
        },
        "mix": [{"name": str(i.label), "value": i.numerator} for i in board.welfare_mix],
    }


def _trend_rows(board: selectors.Dashboard) -> list[list[str]]:
    """The trend as a table (what the page shows without the chart script)."""
    rows = []
    for index, month in enumerate(board.trend_months):
        cells = [month.strftime("%Y-%m")]
        for indicator in board.headline:
            value = board.trends[indicator.code][index]
            cells.append(
                "–" if value is None else number(value, UNITS.get(indicator.code, "share"))
            )
        rows.append(cells)
    return rows


@requires(Cap.VIEW_INSIGHTS)
def dashboard(request: HttpRequest) -> HttpResponse:
    area = selectors.viewer_area(request.user, request.GET.get("area"))
    month = _month(request)
    board = selectors.dashboard(area=area, month=month)
    problems: dict[str, list] = {}
    for indicator in board.problems:
        problems.setdefault(indicator.threshold.problem, []).append(indicator)
    return render(
        request,
        "insights/dashboard.html",
        {
            "board": board,
            "area": area,
            "month": month,
            "areas": selectors.viewer_areas(request.user),
            "problems": [
                (label, problems[key]) for key, label in PROBLEMS.items() if key in problems
            ],
            "others": [i for code, i in board.all.items() if code not in HEADLINE],
            "drilldowns": selectors.DRILLDOWNS,
            "chart_data": _chart_data(board),
            "trend_rows": _trend_rows(board),
            "bar_codes": BAR_CODES,
            "labels": LABELS,
            "report_towns": {t.pk for t in report_towns(request.user)},
            "can_export": can(request.user, Cap.EXPORT_INDICATORS),
        },
    )


@requires(Cap.VIEW_INSIGHTS)
def drilldown(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "")
    area = selectors.viewer_area(request.user, request.GET.get("area"))
    month = _month(request)
    children = selectors.drilldown(viewer=request.user, area=area, code=code, month=month)
    page = Paginator(children, settings.SHOUWANG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/drilldown.html",
        {
            "area": area,
            "month": month,
            "code": code,
            "title": selectors.DRILLDOWNS[code],
            "page": page,
        },
    )
