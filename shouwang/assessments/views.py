"""Assessment pages: the form (one section per domain, stacked), the result with the
supervisor's review, and the panel on the child's profile (``assessments_panel_context`` and
``assessments/_child_panel.html``).

Thin views: declare the access rule, reach the record through its choke point first (an
outsider gets 404 and learns nothing), then check the capability for the action
(``require``: 403 for someone who may see the child but not assess her, or see the assessment
but not review it), call the service, render.

Question, answer and domain labels are the instrument's (``label_zh`` / ``label_en``, data)
in the active language; every other string is gettext.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.chokepoints import access_child
from shouwang.access.policies import can_on, require
from shouwang.access.views import requires
from shouwang.assessments import domain, selectors, services
from shouwang.assessments.forms import ApproveForm, AssessedOnForm, ReturnForm
from shouwang.assessments.messages import domain_level_label, render_reason
from shouwang.assessments.models import Assessment, Instrument
from shouwang.core.errors import ValidationFailed
from shouwang.registry.models import Child

FIELD_PREFIX = "q_"


# --- The form -------------------------------------------------------------------------


def _sections(
    parsed: domain.Instrument, answers: dict[str, str], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """The instrument's domains as page sections, with the answers given and their errors."""
    language = get_language()
    sections = []
    for index, dom in enumerate(parsed.domains, start=1):
        questions = []
        for question in dom.questions:
            name = f"{FIELD_PREFIX}{question.id}"
            given = answers.get(question.id, "")
            questions.append(
                {
                    "id": question.id,
                    "name": name,
                    "label": question.label.get(language),
                    "help": question.help.get(language) if question.help else "",
                    "type": str(question.type),
                    "required": question.required,
                    "errors": errors.get(question.id, []),
                    "options": [
                        {
                            "value": option.value,
                            "label": option.label.get(language),
                            "checked": option.value == given,
                            "id": f"id_{name}_{option.value}",
                        }
                        for option in question.options
                    ],
                }
            )
        sections.append(
            {
                "code": dom.code,
                "label": dom.label.get(language),
                "index": index,
                "questions": questions,
                "has_errors": any(q["errors"] for q in questions),
            }
        )
    return sections


@requires(Cap.ASSESS_CHILD)
def assessment_new(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access_child(request.user, public_id)  # first: an outsider learns nothing
    require(request.user, Cap.ASSESS_CHILD, child)
    instrument: Instrument | None = None
    if request.method == "POST":
        # Score with the version the form was shown with, even if a newer one was loaded.
        instrument = selectors.instrument_by_key(request.POST.get("instrument", ""))
    instrument = instrument or selectors.current_instrument()
    date_form = AssessedOnForm(request.POST or None)
    answers: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    top_errors: list[str] = []
    if instrument is not None and request.method == "POST":
        parsed = instrument.parsed
        answers = {
            q.id: request.POST.get(f"{FIELD_PREFIX}{q.id}", "").strip()
            for _dom, q in parsed.questions()
        }
        assessed_on = date_form.cleaned_data.get("assessed_on") if date_form.is_valid() else None
        try:
            assessment = services.assessment_record(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                instrument=instrument,
                answers=answers,
                assessed_on=assessed_on,
            )
        except ValidationFailed as exc:
            errors = {k: [str(m) for m in v] for k, v in exc.field_errors.items()}
            for message in errors.pop("assessed_on", []):
                if not date_form.errors.get("assessed_on"):
                    date_form.add_error("assessed_on", message)
            top_errors = [str(exc.message)]
        else:
            messages.success(
                request, _("The assessment has been saved. It now awaits the supervisor.")
            )
            return redirect("assessments:detail", public_id=assessment.public_id)
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "child": child,
            "instrument": instrument,
            "about": instrument.parsed.about.get(get_language())
            if instrument and instrument.parsed.about
            else "",
            "sections": _sections(instrument.parsed, answers, errors) if instrument else [],
            "date_form": date_form,
            "errors": top_errors,
        },
    )


# --- The result -----------------------------------------------------------------------


def _domain_rows(assessment: Assessment, parsed: domain.Instrument) -> list[dict[str, Any]]:
    language = get_language()
    rows = []
    for dom in parsed.domains:
        score = assessment.domain_scores.get(dom.code, {})
        level = assessment.domain_levels.get(dom.code, "")
        answered = []
        for question in dom.questions:
            value = assessment.answers.get(question.id)
            option = question.option(value) if value is not None else None
            answered.append(
                {
                    "label": question.label.get(language),
                    "answer": option.label.get(language) if option else "",
                    "points": option.score * question.weight if option else None,
                    "red_flag": bool(option and option.red_flag),
                }
            )
        rows.append(
            {
                "code": dom.code,
                "label": dom.label.get(language),
                "percent": score.get("percent", 0),
                "points": score.get("points", 0),
                "max": score.get("max", 0),
                "level": level,
                "level_label": domain_level_label(level),
                "answers": answered,
            }
        )
    return rows


def _render_detail(
    request: HttpRequest,
    assessment: Assessment,
    bound: tuple[str, forms.Form] | None = None,
) -> HttpResponse:
    parsed = assessment.instrument.parsed
    review_forms: dict[str, forms.Form] = {}
    can_review = assessment.status == Assessment.Status.SUBMITTED and can_on(
        request.user, Cap.APPROVE_PLAN, assessment
    )
    if can_review:
        review_forms = {
            "approve": ApproveForm(
                initial={"risk_level": assessment.risk_level}, auto_id="id_approve_%s"
            ),
            "return": ReturnForm(auto_id="id_return_%s"),
        }
        if bound:
            review_forms[bound[0]] = bound[1]
    errors = [] if can_review or not bound else [str(e) for e in bound[1].non_field_errors()]
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "child": assessment.child,
            "instrument": assessment.instrument,
            "domains": _domain_rows(assessment, parsed),
            "reasons": [render_reason(r, parsed) for r in assessment.reasons],
            "review_forms": review_forms,
            "open_review": bound[0] if bound else "",
            "errors": errors,
        },
    )


@requires(Cap.ASSESS_CHILD)
def assessment_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    assessment = selectors.access_assessment(request.user, public_id)
    services.assessment_view(actor=request.user, assessment=assessment)  # type: ignore[arg-type]
    return _render_detail(request, assessment)


def _review(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    assessment = selectors.access_assessment(request.user, public_id)  # first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(request.user, Cap.APPROVE_PLAN, assessment)
    form_class = ApproveForm if action == "approve" else ReturnForm
    form = form_class(request.POST, auto_id=f"id_{action}_%s")
    if form.is_valid():
        try:
            if action == "approve":
                services.assessment_approve(
                    actor=request.user,  # type: ignore[arg-type]
                    assessment=assessment,
                    note=form.cleaned_data["note"],
                    risk_level=form.cleaned_data["risk_level"],
                )
                messages.success(request, _("Approved."))
            else:
                services.assessment_return(
                    actor=request.user,  # type: ignore[arg-type]
                    assessment=assessment,
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Returned to the child director."))
        except ValidationFailed as exc:
            if not exc.field_errors:
                form.add_error(None, str(exc.message))
            for field, errors in exc.field_errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, str(error))
        else:
            return redirect("assessments:detail", public_id=assessment.public_id)
    return _render_detail(request, assessment, bound=(action, form))


@requires(Cap.ASSESS_CHILD)
def assessment_approve(request: HttpRequest, public_id: str) -> HttpResponse:
    return _review(request, public_id, "approve")


@requires(Cap.ASSESS_CHILD)
def assessment_return(request: HttpRequest, public_id: str) -> HttpResponse:
    return _review(request, public_id, "return")


# --- The panel on the child's profile -------------------------------------------------


def assessments_panel_context(request: HttpRequest, child: Child) -> dict[str, Any]:
    """Context for ``{% include "assessments/_child_panel.html" %}`` on the child's profile.

    ``{"assessments_panel": None}`` unless the viewer holds ``assessments.assess_child`` on
    the child's village (never through the school route). One query when shown (the child's
    latest assessments), none otherwise; ``child.village`` should be loaded
    (``registry.selectors.child_profile`` does).
    """
    user = request.user
    if not selectors.assessment_reaches(user, Cap.ASSESS_CHILD, child):
        return {"assessments_panel": None}
    rows = selectors.assessments_for_child(viewer=user, child=child)
    latest = rows[0] if rows else None
    reasons: list[str] = []
    if latest is not None:
        parsed = latest.instrument.parsed
        reasons = [render_reason(r, parsed) for r in latest.reasons[:3]]
    return {
        "assessments_panel": {
            "child": child,
            "latest": latest,
            "reasons": reasons,
            "past": rows[1:],
            "can_assess": True,  # the capability the panel is shown for
        }
    }
