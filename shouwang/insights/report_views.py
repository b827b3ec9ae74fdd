"""The diagnostic report page and its PDF (``insights:report``, ``insights:report_pdf``).

Thin views: ``@requires(VIEW_INSIGHTS)``, the town through ``report.report_area`` (404 out
of reach), the period through ``report.parse_period`` (a translated message on bad input),
then ``build_report``. The PDF is in the language of the request.
"""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can
from shouwang.access.views import requires
from shouwang.core.errors import ValidationFailed
from shouwang.insights.report import build_report, parse_period, report_area, report_towns
from shouwang.insights.report_pdf import FontMissingError, render_pdf

log = logging.getLogger(__name__)


def _choose(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    return render(
        request,
        "insights/report_choose.html",
        {
            "towns": report_towns(request.user),
            "error": error,
            "values": request.GET,
        },
        status=status,
    )


def _load(request: HttpRequest):  # type: ignore[no-untyped-def]
    area = report_area(request.user, request.GET.get("area"))
    first, last = parse_period(request.GET.get("from"), request.GET.get("to"))
    return build_report(area=area, first=first, last=last)


@requires(Cap.VIEW_INSIGHTS)
def report_page(request: HttpRequest) -> HttpResponse:
    if not request.GET.get("area"):
        return _choose(request)
    try:
        report = _load(request)
    except ValidationFailed as exc:
        return _choose(request, str(exc.message), status=400)
    return render(
        request,
        "insights/report.html",
        {
            "report": report,
            "can_export": can(request.user, Cap.EXPORT_INDICATORS),
        },
    )


@requires(Cap.VIEW_INSIGHTS)
def report_pdf(request: HttpRequest) -> HttpResponse:
    try:
        report = _load(request)
    except ValidationFailed as exc:
        return _choose(request, str(exc.message), status=400)
    try:
        content = render_pdf(report)
    except FontMissingError as exc:
        log.error("diagnostic report PDF: %s", exc)
        return render(
            request,
            "insights/report_pdf_unavailable.html",
            {"report": report, "message": _("The PDF cannot be made: no Chinese font.")},
            status=503,
        )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"report-{report.area.code}-{report.first:%Y%m}-{report.last:%Y%m}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
