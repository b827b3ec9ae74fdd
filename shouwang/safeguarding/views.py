"""Safeguarding pages: the report form (any signed-in user), a report with its police task,
history and actions, the queue of open reports, the reporter's own reports; plus the panel
on the child's profile (``safeguarding_panel_context`` and ``safeguarding/_child_panel.html``).

Thin views: declare the access rule, reach the report through ``access_report`` first (an
outsider gets 404 and learns nothing), then check the capability for the action
(``require``: 403 for someone who may see the report but not take this step), call the
service, render.

The report page and the police task are ``@login_only``: the reporter reaches her own
report whatever her role (the reporter route). The action URLs are declared
``@requires(Cap.VIEW_REPORT)``, so a supervisor of another township gets the same 404 on
every report URL whatever the action.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.access.capabilities import Cap
from shouwang.access.chokepoints import access_child
from shouwang.access.policies import can, can_on, grants, require
from shouwang.access.views import login_only, requires
from shouwang.core.errors import PermissionDenied, ValidationFailed
from shouwang.registry.models import Child
from shouwang.safeguarding import domain, selectors, services
from shouwang.safeguarding.domain import Action, DutyBasis
from shouwang.safeguarding.forms import (
    AcknowledgeForm,
    CloseForm,
    PoliceForm,
    ReportForm,
    RespondForm,
    add_service_errors,
)
from shouwang.safeguarding.models import Report

ACTION_FORMS: dict[Action, type[forms.Form]] = {
    Action.ACKNOWLEDGE: AcknowledgeForm,
    Action.RESPOND: RespondForm,
    Action.CLOSE: CloseForm,
}
SERVICES: dict[Action, Callable[..., Report]] = {
    Action.ACKNOWLEDGE: services.report_acknowledge,
    Action.RESPOND: services.report_respond,
    Action.CLOSE: services.report_close,
}
ACTION_TITLES = {
    Action.ACKNOWLEDGE: gettext_lazy("Acknowledge"),
    Action.RESPOND: gettext_lazy("Record the response and assessment"),
    Action.CLOSE: gettext_lazy("Close the report"),
}
DONE_MESSAGES = {
    Action.ACKNOWLEDGE: gettext_lazy("Acknowledged. Escalation has stopped."),
    Action.RESPOND: gettext_lazy("The response and assessment have been recorded."),
    Action.CLOSE: gettext_lazy("The report is closed. It stays in the child's history."),
}


# --- Filing ---------------------------------------------------------------------------


def _report_form(request: HttpRequest) -> ReportForm:
    user = request.user
    wanted = request.POST.get("child") or request.GET.get("child") or None
    kwargs: dict[str, Any] = {
        "children": selectors.reportable_children(user=user, include=wanted),
        "villages": selectors.village_choices(),
    }
    if request.method == "POST":
        return ReportForm(request.POST, **kwargs)
    duty = DutyBasis.MPL_ART_11 if grants(user) else DutyBasis.CITIZEN
    initial: dict[str, Any] = {"duty_basis": duty.value}
    child_ids = {value for value, _label in kwargs["children"]}
    if wanted in child_ids:
        initial["child"] = wanted
    trigger = request.GET.get("trigger", "")
    if trigger in domain.TRIGGER_LABELS:
        initial["trigger"] = trigger
    seen = request.GET.get("seen", "")
    if seen:
        initial["what_seen"] = seen[:4000]
    return ReportForm(initial=initial, **kwargs)


@login_only
def report_new(request: HttpRequest) -> HttpResponse:
    """The report form. Prefill from a flagged concern elsewhere with
    ``?child=<public_id>&trigger=<code>&seen=<text>``."""
    form = _report_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = access_child(request.user, data["child"]) if data["child"] else None
        try:
            report = services.report_file(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                child_description=data["child_description"],
                place=data["place"],
                area=None if child else selectors.village_by_code(data["area"]),
                trigger=data["trigger"],
                immediate_danger=data["immediate_danger"] == "yes",
                what_seen=data["what_seen"],
                duty_basis=data["duty_basis"],
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your report has been filed. Now report to the police."))
            return redirect("safeguarding:report_detail", public_id=report.public_id)
    return render(request, "safeguarding/report_form.html", {"form": form})


# --- One report -----------------------------------------------------------------------


def _action_form(action: Action, report: Report | None = None, data: Any = None) -> forms.Form:
    initial: dict[str, Any] = {}
    if action == Action.RESPOND and report is not None:
        initial = {name: getattr(report, name) for name in services.RESPONSE_FIELDS}
    return ACTION_FORMS[action](data, initial=initial, auto_id=f"id_{action}_%s")


def _render_detail(
    request: HttpRequest,
    report: Report,
    bound: tuple[Action, forms.Form] | None = None,
    police_form: PoliceForm | None = None,
) -> HttpResponse:
    user = request.user
    area_viewer = can_on(user, Cap.VIEW_REPORT, report)  # the area route, not the reporter's
    action_forms: list[dict[str, Any]] = []
    for action, cap in domain.actions_from(report.state):
        if not can_on(user, cap, report):
            continue
        form = bound[1] if bound and bound[0] == action else _action_form(action, report)
        action_forms.append(
            {
                "action": str(action),
                "title": ACTION_TITLES[action],
                "form": form,
                "url": reverse(f"safeguarding:{action}", args=[report.public_id]),
                "open": bool(form.errors) or action == Action.ACKNOWLEDGE,
            }
        )
    errors: list[str] = []
    if bound and not any(f["action"] == bound[0] for f in action_forms):
        errors = [str(e) for e in bound[1].non_field_errors()]
    task = report.police_task
    is_reporter = report.reporter_id == user.pk
    return render(
        request,
        "safeguarding/report_detail.html",
        {
            "report": report,
            "child": report.child,
            "task": task,
            "is_reporter": is_reporter,
            "police_form": police_form or (PoliceForm() if is_reporter else None),
            "show_reporter": selectors.shows_reporter(user, report),
            "area_viewer": area_viewer,
            "steps": selectors.report_steps(report=report) if area_viewer or is_reporter else [],
            "action_forms": action_forms,
            "errors": errors,
            "windows": services.windows(),
            "court": domain.court_suggestion(
                report.intervention_flags, report.refused_duties_since, timezone.localdate()
            )
            if area_viewer
            else None,
            "case": selectors.linked_case(report) if area_viewer else None,
            "overdue": report.next_escalation_at is not None
            and report.next_escalation_at <= timezone.now(),
        },
    )


@login_only
def report_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    report = selectors.access_report(request.user, public_id)
    return _render_detail(request, report)


@login_only
def police_record(request: HttpRequest, public_id: str) -> HttpResponse:
    report = selectors.access_report(request.user, public_id)  # first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if report.reporter_id != request.user.pk:
        raise PermissionDenied("only the reporter records her report to the police")
    form = PoliceForm(request.POST)
    if form.is_valid():
        try:
            services.police_task_record(
                actor=request.user,  # type: ignore[arg-type]
                report=report,
                **form.cleaned_data,
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your report to the police has been recorded."))
            return redirect("safeguarding:report_detail", public_id=report.public_id)
    return _render_detail(request, report, police_form=form)


def _act(request: HttpRequest, public_id: str, action: Action) -> HttpResponse:
    report = selectors.access_report(request.user, public_id)  # first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    cap = domain.ACTION_CAPABILITIES[action]
    require(request.user, cap, report)  # type: ignore[arg-type]
    form = _action_form(action, report, request.POST)
    if form.is_valid():
        try:
            SERVICES[action](actor=request.user, report=report, **form.cleaned_data)
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, str(DONE_MESSAGES[action]))
            return redirect("safeguarding:report_detail", public_id=report.public_id)
    return _render_detail(request, report, bound=(action, form))


@requires(Cap.VIEW_REPORT)
def report_acknowledge(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, Action.ACKNOWLEDGE)


@requires(Cap.VIEW_REPORT)
def report_respond(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, Action.RESPOND)


@requires(Cap.VIEW_REPORT)
def report_close(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, Action.CLOSE)


# --- Lists ----------------------------------------------------------------------------


@requires(Cap.VIEW_REPORT)
def queue(request: HttpRequest) -> HttpResponse:
    """Open reports in the viewer's area: those waiting for acknowledgement first."""
    rows = selectors.report_queue(viewer=request.user)
    return render(
        request,
        "safeguarding/queue.html",
        {"rows": rows, "now": timezone.now(), "windows": services.windows()},
    )


@login_only
def mine(request: HttpRequest) -> HttpResponse:
    """The reports the user filed, open police tasks first."""
    return render(
        request, "safeguarding/mine.html", {"rows": selectors.my_reports(user=request.user)}
    )


# --- The panel on the child's profile -------------------------------------------------


def safeguarding_panel_context(request: HttpRequest, child: Child) -> dict[str, Any]:
    """Context for ``{% include "safeguarding/_child_panel.html" %}`` on the child's profile.

    Everyone who can see the profile gets the "Report a concern" button (prefilled with the
    child); the child's reports are listed for those who may see them (the area route, or
    the reports the viewer filed herself). One query (the reports); ``child.village``
    should be loaded.
    """
    user = request.user
    return {
        "safeguarding_panel": {
            "child": child,
            "reports": selectors.reports_for_child(viewer=user, child=child),
            "new_url": f"{reverse('safeguarding:report_new')}?child={child.public_id}",
            "can_queue": can(user, Cap.VIEW_REPORT),
        }
    }
