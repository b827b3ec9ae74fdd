"""The supervisor's matching pages: the township's open needs and runs; a run's
suggestions with their reasons, to accept (one or all), change or reject. Every page is
``@requires(Cap.RUN_MATCHING)``; a run is reached through ``access_run`` first (404 outside
her township), then the service checks the township again."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shouwang.access.capabilities import Cap
from shouwang.access.views import requires
from shouwang.core.errors import ValidationFailed
from shouwang.matching import selectors, services
from shouwang.matching.loading import load_township
from shouwang.matching.models import MatchSuggestion
from shouwang.matching.reasons import reason_sentences


def _home_url(code: str) -> str:
    return f"{reverse('matching:home')}?area={code}"


@requires(Cap.RUN_MATCHING)
def home(request: HttpRequest) -> HttpResponse:
    township = selectors.township_for(viewer=request.user, code=request.GET.get("area"))
    return render(
        request,
        "matching/home.html",
        {
            "township": township,
            "townships": selectors.townships(viewer=request.user),
            "needs": list(selectors.open_needs(viewer=request.user, township=township)),
            "runs": list(selectors.runs(viewer=request.user, township=township)),
        },
    )


@requires(Cap.RUN_MATCHING)
def run_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    township = selectors.township_for(viewer=request.user, code=request.POST.get("area"))
    run = services.match_run(actor=request.user, township=township)  # type: ignore[arg-type]
    return redirect("matching:run_detail", public_id=run.public_id)


@requires(Cap.RUN_MATCHING)
def needs_raise(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    township = selectors.township_for(viewer=request.user, code=request.POST.get("area"))
    n = services.needs_raise_from_plan_actions(actor=request.user, township=township)  # type: ignore[arg-type]
    messages.success(
        request,
        ngettext(
            "%(counter)s need raised from plan actions.",
            "%(counter)s needs raised from plan actions.",
            n,
        )
        % {"counter": n},
    )
    return redirect(_home_url(township.code))


@requires(Cap.RUN_MATCHING)
def run_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    run = selectors.access_run(request.user, public_id)
    suggestions = selectors.run_suggestions(run)
    pending = [s for s in suggestions if s.decision == MatchSuggestion.Decision.PENDING]
    loaded = load_township(run.area, need_ids=[s.need_id for s in pending]) if pending else None
    rows: list[dict[str, Any]] = []
    for s in suggestions:
        options: list[tuple[str, str]] = []
        if loaded is not None and s.decision == MatchSuggestion.Decision.PENDING:
            for cand, cost, _reasons in services.alternatives(loaded, s.need):
                if (cand.volunteer, cand.organisation) != (s.volunteer, s.organisation):
                    options.append((cand.key, f"{cand.name} · {cost}"))
        rows.append(
            {
                "s": s,
                "helper": s.volunteer.name if s.volunteer else s.organisation,
                "reasons": reason_sentences(s.reasons, s.need.service_type),
                "options": options,
            }
        )
    return render(
        request,
        "matching/run_detail.html",
        {
            "run": run,
            "rows": rows,
            "pending": sum(1 for s in pending if s.volunteer_id or s.organisation_id),
        },
    )


@requires(Cap.RUN_MATCHING)
def decide(request: HttpRequest, public_id: str) -> HttpResponse:
    run = selectors.access_run(request.user, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    suggestion = selectors.suggestion_in_run(run, request.POST.get("need", ""))
    action = request.POST.get("action")
    actor = request.user
    try:
        if action == "accept":
            services.suggestion_accept(actor=actor, suggestion=suggestion)  # type: ignore[arg-type]
            messages.success(request, _("Accepted: the need is assigned."))
        elif action == "change":
            services.suggestion_change(
                actor=actor,  # type: ignore[arg-type]
                suggestion=suggestion,
                candidate_key=request.POST.get("candidate", ""),
            )
            messages.success(request, _("Changed: the need is assigned to the helper you chose."))
        elif action == "reject":
            services.suggestion_reject(actor=actor, suggestion=suggestion)  # type: ignore[arg-type]
            messages.success(request, _("Rejected: the need stays open."))
        else:
            messages.error(request, _("Choose accept, change or reject."))
    except ValidationFailed as exc:
        for field_messages in exc.field_errors.values():
            for message in field_messages:
                messages.error(request, str(message))
        if not exc.field_errors:
            messages.error(request, str(exc.message))
    return redirect("matching:run_detail", public_id=run.public_id)


@requires(Cap.RUN_MATCHING)
def accept_all(request: HttpRequest, public_id: str) -> HttpResponse:
    run = selectors.access_run(request.user, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    accepted, refused = services.suggestion_accept_all(actor=request.user, run=run)  # type: ignore[arg-type]
    messages.success(
        request,
        ngettext("%(counter)s suggestion accepted.", "%(counter)s suggestions accepted.", accepted)
        % {"counter": accepted},
    )
    for message in refused:
        messages.error(request, message)
    return redirect("matching:run_detail", public_id=run.public_id)
