"""Export pages: the list of exports a user may take, the indicator workbook and the
de-identified workbook (docs/exports.md). Thin: the area through ``exports.export_area``
(404 out of reach), the period through ``report.parse_period``, then the service."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shouwang.access.capabilities import Cap
from shouwang.access.policies import area_grants, can
from shouwang.access.views import login_only, requires
from shouwang.core.errors import ValidationFailed
from shouwang.insights import exports
from shouwang.insights.report import parse_period

EXPORT_CAPS = (Cap.EXPORT_INDICATORS, Cap.EXPORT_DEIDENTIFIED, Cap.EXPORT_REGISTRY)


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _page(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    return render(
        request,
        "insights/report_exports.html",
        {
            "indicator_areas": area_grants(user, Cap.EXPORT_INDICATORS),
            "deid_areas": area_grants(user, Cap.EXPORT_DEIDENTIFIED),
            "can_registry": can(user, Cap.EXPORT_REGISTRY),
            "error": error,
            "values": request.GET,
        },
        status=status,
    )


@login_only
def exports_home(request: HttpRequest) -> HttpResponse:
    """What the user may export; a user with no export capability is refused (403)."""
    if not any(can(request.user, cap) for cap in EXPORT_CAPS):
        raise DjangoPermissionDenied
    return _page(request)


@requires(Cap.EXPORT_INDICATORS)
def export_indicators(request: HttpRequest) -> HttpResponse:
    area = exports.export_area(request.user, Cap.EXPORT_INDICATORS, request.GET.get("area"))
    try:
        first, last = parse_period(request.GET.get("from"), request.GET.get("to"))
        content = exports.indicators_export(
            actor=request.user,  # type: ignore[arg-type]
            area=area,
            first=first,
            last=last,
        )
    except ValidationFailed as exc:
        return _page(request, str(exc.message), status=400)
    return _download(content, f"indicators-{area.code}-{first:%Y%m}-{last:%Y%m}.xlsx")


@requires(Cap.EXPORT_DEIDENTIFIED)
def export_deidentified(request: HttpRequest) -> HttpResponse:
    area = exports.export_area(request.user, Cap.EXPORT_DEIDENTIFIED, request.GET.get("area"))
    content, _rows = exports.deidentified_export(
        actor=request.user,  # type: ignore[arg-type]
        area=area,
    )
    return _download(content, f"deidentified-{area.code}-{timezone.localdate():%Y%m%d}.xlsx")
