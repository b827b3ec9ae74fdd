"""FUC pages: the queue, an application with its history and actions, and the application
form; plus the panel on the child's profile (``fuc_panel_context`` and
``fuc/_child_panel.html``).

Thin views: declare the access rule, reach the record through its choke point first (an
outsider gets 404 and learns nothing), then check the capability for the action
(``require``: 403 for someone who may see the application but not take this step), call
the service, render.

The action URLs are declared ``@requires(Cap.VIEW_FUC)``, not with the action's own
capability, so that a supervisor of another township gets the same 404 on every
application URL whatever the action (the URL walk in tests/test_url_access.py).
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
from shouwang.access.policies import can, can_on, require
from shouwang.access.views import requires
from shouwang.core.errors import PermissionDenied, ValidationFailed
from shouwang.fuc import domain, selectors, services
from shouwang.fuc.domain import Action, State
from shouwang.fuc.forms import ACTION_FORMS, ApplyForm, add_service_errors
from shouwang.fuc.models import FucApplication
from shouwang.registry.models import Child

SERVICES: dict[Action, Callable[..., FucApplication]] = {
    Action.VERIFY: services.fuc_verify,
    Action.RETURN: services.fuc_return,
    Action.CONFIRM: services.fuc_confirm,
    Action.REJECT: services.fuc_reject,
    Action.TERMINATE: services.fuc_terminate,
}

ACTION_TITLES = {
    Action.VERIFY: gettext_lazy("Verify"),
    Action.RETURN: gettext_lazy("Return for more material"),
    Action.CONFIRM: gettext_lazy("Confirm"),
    Action.REJECT: gettext_lazy("Reject"),
    Action.TERMINATE: gettext_lazy("End the allowance"),
}

DONE_MESSAGES = {
    Action.VERIFY: gettext_lazy("Verified. The application now waits for the county."),
    Action.RETURN: gettext_lazy("Returned for more material."),
    Action.CONFIRM: gettext_lazy("Confirmed."),
    Action.REJECT: gettext_lazy("Rejected. Give the applicant the reasons in writing."),
    Action.TERMINATE: gettext_lazy("The allowance has been ended."),
}


# --- The queue ------------------------------------------------------------------------


@requires(Cap.VIEW_FUC)
def queue(request: HttpRequest) -> HttpResponse:
    """Applications waiting for the township or the county, overdue ones first."""
    decides = can(request.user, Cap.DECIDE_FUC)
    if not (decides or can(request.user, Cap.VERIFY_FUC)):
        raise PermissionDenied("the queue is for the township and the county")
    rows = selectors.fuc_queue(viewer=request.user)
    county = {
        "title": _("Awaiting county confirmation"),
        "rows": [r for r in rows if r.state == State.VERIFIED],
    }
    township = {
        "title": _("Awaiting township verification"),
        "rows": [r for r in rows if r.state == State.SUBMITTED],
    }
    return render(
        request,
        "fuc/queue.html",
        {
            "sections": [county, township] if decides else [township, county],
            "overdue_count": sum(1 for r in rows if r.overdue),
            "deadlines": services.fuc_deadlines(),
        },
    )


# --- One application ------------------------------------------------------------------


def _action_form(action: Action, data: Any = None) -> forms.Form:
    # Several forms share a page: ids per action, field names as they are.
    return ACTION_FORMS[action](data, auto_id=f"id_{action}_%s")


def _render_detail(
    request: HttpRequest,
    application: FucApplication,
    bound: tuple[Action, forms.Form] | None = None,
) -> HttpResponse:
    action_forms: list[dict[str, Any]] = []
    for action, cap in domain.actions_from(application.state):
        if not can_on(request.user, cap, application):
            continue
        form = bound[1] if bound and bound[0] == action else _action_form(action)
        action_forms.append(
            {
                "action": str(action),
                "title": ACTION_TITLES[action],
                "form": form,
                "url": reverse(f"fuc:{action}", args=[application.public_id]),
                "open": bool(form.errors),
            }
        )
    # A refusal for an action no longer offered (someone else acted first) goes on top.
    errors: list[str] = []
    if bound and not any(f["action"] == bound[0] for f in action_forms):
        errors = [str(e) for e in bound[1].non_field_errors()]
    return render(
        request,
        "fuc/application_detail.html",
        {
            "application": application,
            "child": application.child,
            "steps": selectors.fuc_steps(application=application),
            "action_forms": action_forms,
            "errors": errors,
            "deadlines": services.fuc_deadlines(),
            "rejected": application.state == State.REJECTED,
            "terminated": application.state == State.TERMINATED,
        },
    )


@requires(Cap.VIEW_FUC)
def application_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.access_fuc_application(request.user, public_id)
    return _render_detail(request, application)


def _act(request: HttpRequest, public_id: str, action: Action) -> HttpResponse:
    application = selectors.access_fuc_application(request.user, public_id)  # first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(request.user, domain.ACTION_CAPABILITIES[action], application)
    form = _action_form(action, request.POST)
    if form.is_valid():
        try:
            SERVICES[action](actor=request.user, application=application, **form.cleaned_data)
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, str(DONE_MESSAGES[action]))
            return redirect("fuc:application_detail", public_id=application.public_id)
    return _render_detail(request, application, bound=(action, form))


@requires(Cap.VIEW_FUC)
def application_verify(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, Action.VERIFY)


@requires(Cap.VIEW_FUC)
def application_return(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, Action.RETURN)


@requires(Cap.VIEW_FUC)
def application_confirm(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, Action.CONFIRM)


@requires(Cap.VIEW_FUC)
def application_reject(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, Action.REJECT)


@requires(Cap.VIEW_FUC)
def application_terminate(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, Action.TERMINATE)


# --- Applying, from the child's record ------------------------------------------------


@requires(Cap.APPLY_FUC)
def application_create(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access_child(request.user, public_id)  # first: an outsider learns nothing
    require(request.user, Cap.APPLY_FUC, child)
    applications = selectors.fuc_for_child(viewer=request.user, child=child)
    open_application = next((a for a in applications if a.is_open), None)
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.fuc_apply(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                applicant=form.cleaned_data["applicant"],
                note=form.cleaned_data["note"],
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The application has been recorded."))
            return redirect("fuc:application_detail", public_id=application.public_id)
    return render(
        request,
        "fuc/application_form.html",
        {
            "child": child,
            "form": form,
            "open_application": open_application,
            "deadlines": services.fuc_deadlines(),
        },
    )


# --- The panel on the child's profile -------------------------------------------------


def fuc_panel_context(request: HttpRequest, child: Child) -> dict[str, Any]:
    """Context for ``{% include "fuc/_child_panel.html" %}`` on the child's profile.

    ``{"fuc_panel": None}`` unless the viewer holds ``fuc.view_application`` on the
    child's village (never through the school route: a school liaison never sees it).
    One query when shown (the child's applications), none otherwise; ``child.village``
    should be loaded (``registry.selectors.child_profile`` does).
    """
    user = request.user
    if not selectors.fuc_reaches(user, Cap.VIEW_FUC, child):
        return {"fuc_panel": None}
    applications = selectors.fuc_for_child(viewer=user, child=child)
    current = next((a for a in applications if a.is_open), None)
    return {
        "fuc_panel": {
            "child": child,
            "current": current,
            "past": [a for a in applications if a is not current],
            "can_apply": current is None and selectors.fuc_reaches(user, Cap.APPLY_FUC, child),
            "today": timezone.localdate(),
        }
    }
