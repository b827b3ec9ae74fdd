"""Census pages: the template, upload and preview, commit, the error report, the export.

Thin views: declare the access rule, reach the job through ``access_job`` (the uploader's
own jobs only), call a service, render.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRefresh

from shouwang.access.capabilities import Cap
from shouwang.access.policies import area_grants, can
from shouwang.access.views import requires
from shouwang.core.errors import ValidationFailed
from shouwang.imports import selectors, services, workbooks
from shouwang.imports.columns import COLUMN_BY_KEY
from shouwang.imports.models import ImportJob
from shouwang.imports.reader import BadFile, read_sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LANGS = [("zh-hans", "中文"), ("en", "English")]


def _lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or get_language() or "zh-hans"
    return "en" if lang.startswith("en") else "zh-hans"


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


class UploadForm(forms.Form):
    area = forms.ChoiceField(label=gettext_lazy("Area"))
    file = forms.FileField(
        label=gettext_lazy("Census workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls"}),
    )

    def __init__(self, *args: object, areas: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.areas = {a.code: a for a in areas}
        self.fields["area"].choices = [(a.code, a.display_name) for a in areas]  # type: ignore[attr-defined]
        if len(areas) == 1:
            self.fields["area"].initial = areas[0].code


@requires(Cap.IMPORT_CENSUS)
def census_home(request: HttpRequest) -> HttpResponse:
    areas = area_grants(request.user, Cap.IMPORT_CENSUS)
    too_large = _too_large(request)
    if too_large:  # refused before Django reads the body: a 200 MB upload costs nothing
        form = UploadForm(areas=areas)
    else:
        form = UploadForm(request.POST or None, request.FILES or None, areas=areas)
    if request.method == "POST" and not too_large and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services_check_size(upload.size)
            job = services.census_upload(
                actor=request.user,  # type: ignore[arg-type]
                area=form.areas[form.cleaned_data["area"]],
                content=upload.read(),
                filename=upload.name,
            )
        except ValidationFailed as exc:
            form.add_error("file", str(exc.message))
        else:
            return redirect("imports:preview", public_id=job.public_id)
    jobs = ImportJob.objects.filter(created_by=request.user).select_related("area")[:10]
    return render(
        request,
        "imports/census_home.html",
        {
            "form": form,
            "upload_error": too_large,
            "jobs": jobs,
            "langs": LANGS,
            "can_export": can(request.user, Cap.EXPORT_REGISTRY),
        },
    )


def _too_large(request: HttpRequest) -> str:
    if request.method != "POST":
        return ""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return ""
    try:
        services_check_size(max(length - 64 * 1024, 0))  # allow for the form's other parts
    except ValidationFailed as exc:
        return str(exc.message)
    return ""


def services_check_size(size: int) -> None:
    from shouwang.imports.reader import check_size  # noqa: PLC0415

    try:
        check_size(size)
    except BadFile as exc:
        raise ValidationFailed(exc.message) from None


@requires(Cap.IMPORT_CENSUS)
def census_template(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    villages = selectors.importable_villages(viewer=request.user)
    schools = selectors.importable_schools(viewer=request.user)
    content = workbooks.template(lang=lang, villages=villages, schools=schools)
    name = "census-template.xlsx" if lang == "en" else "census-template-zh.xlsx"
    return _download(content, name)


@requires(Cap.IMPORT_CENSUS)
def census_preview(request: HttpRequest, public_id: str) -> HttpResponse:
    job = selectors.access_job(request.user, public_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "discard":
            services.census_discard(actor=request.user, job=job)  # type: ignore[arg-type]
            messages.info(request, _("The upload was discarded; nothing was imported."))
            return redirect("imports:census_home")
        try:
            result = services.census_commit_start(actor=request.user, job=job)  # type: ignore[arg-type]
        except ValidationFailed as exc:
            messages.error(request, str(exc.message))
            return redirect("imports:preview", public_id=job.public_id)
        if result is None:
            messages.info(
                request,
                _("The import runs in the background: this page shows how far it has got."),
            )
            return redirect("imports:preview", public_id=job.public_id)
        messages.success(
            request,
            _("Imported: %(n)d; already registered: %(m)d.")
            % {"n": result.created, "m": result.existing},
        )
        return redirect("imports:preview", public_id=job.public_id)
    issues = [{**i, "column_label": COLUMN_BY_KEY[i["column"]].header_zh} for i in job.issues]
    return render(
        request,
        "imports/preview.html",
        {
            "job": job,
            "issues": issues,
            "errors": [i for i in issues if i["level"] == "error"],
            "warnings": [i for i in issues if i["level"] == "warning"],
            "can_commit": job.status == ImportJob.Status.CHECKED and job.error_count == 0,
            "in_background": job.rows > services.inline_rows(),
            "inline_rows": services.inline_rows(),
            "worker_running": services.worker_seen_recently(),
        },
    )


@requires(Cap.IMPORT_CENSUS)
def census_progress(request: HttpRequest, public_id: str) -> HttpResponse:
    """The progress fragment the preview page polls (htmx) while the worker checks or
    imports; when the work is over, the page is reloaded to show the result."""
    job = selectors.access_job(request.user, public_id)
    if not job.running and request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRefresh()
    return render(
        request,
        "imports/_progress.html",
        {"job": job, "worker_running": services.worker_seen_recently()},
    )


@requires(Cap.IMPORT_CENSUS)
def census_report(request: HttpRequest, public_id: str) -> HttpResponse:
    job = selectors.access_job(request.user, public_id)
    if job.content is None:
        messages.info(request, _("The file is no longer kept: the error report is not available."))
        return redirect("imports:preview", public_id=job.public_id)
    sheet = read_sheet(bytes(job.content))
    content = workbooks.error_report(sheet=sheet, issues=job.issues)
    return _download(content, f"errors-{timezone.localdate():%Y%m%d}.xlsx")


@requires(Cap.EXPORT_REGISTRY)
def registry_export(request: HttpRequest) -> HttpResponse:
    content, _count = services.registry_export(
        actor=request.user,  # type: ignore[arg-type]
        area=None,
        lang=_lang(request),
    )
    return _download(content, f"registry-{timezone.localdate():%Y%m%d}.xlsx")
