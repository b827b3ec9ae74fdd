"""Follow-up pages. The parent-contact form lives on the child's profile (htmx)."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.chokepoints import access_child
from shouwang.access.policies import can_on, holders, require
from shouwang.access.views import requires
from shouwang.accounts.models import Organisation
from shouwang.cases import selectors, services
from shouwang.cases.forms import CaseForm, ContactLogForm, PlanActionFormSet, PlanForm, VisitForm
from shouwang.cases.models import CarePlan, PlanAction
from shouwang.core.errors import ValidationFailed
from shouwang.referrals.selectors import overdue_panel_context
from shouwang.registry.models import Child


@requires(Cap.LOG_CONTACT)
def contact_create(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access_child(request.user, public_id)  # first: an outsider learns nothing
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(request.user, Cap.LOG_CONTACT, child)
    form = ContactLogForm(request.POST, parents=selectors.parents_of(child=child))
    saved = False
    if form.is_valid():
        try:
            services.contact_log_record(actor=request.user, child=child, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationFailed as exc:
            for field, messages in exc.field_errors.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, str(message))
        else:
            saved = True
            form = ContactLogForm(parents=selectors.parents_of(child=child))
    return render(
        request,
        "cases/_contacts.html",
        {
            "child": child,
            "contact_form": form,
            "contacts": selectors.contact_list(child=child),
            "can_log_contact": True,
            "saved": saved,
        },
    )


# --- worklist, board, case, plan, visit ------------------------------------------------


@requires(Cap.MANAGE_CASE)
def worklist(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cases/worklist.html",
        {
            "work": selectors.worklist(viewer=request.user),
            "today": timezone.localdate(),
            **overdue_panel_context(request),
        },
    )


@requires(Cap.VIEW_TOWN_BOARD)
def town_board(request: HttpRequest) -> HttpResponse:
    page = request.GET.get("page", "")
    board = selectors.town_board(viewer=request.user, page=int(page) if page.isdigit() else 1)
    return render(
        request,
        "cases/board.html",
        {"board": board, "today": timezone.localdate(), **overdue_panel_context(request)},
    )


def _people(child: Child):
    return holders(Cap.MANAGE_CASE, child)


def _organisations(child: Child):
    county = child.county
    return Organisation.objects.filter(area__path__startswith=county.path, active=True).order_by(
        "sector", "name_zh"
    )


def _back(child: Child, anchor: str = "case") -> HttpResponse:
    return redirect(reverse("registry:child_detail", args=[child.public_id]) + f"#{anchor}")


def _form_errors(form: forms.Form, exc: ValidationFailed) -> None:
    for field_name, messages_ in exc.field_errors.items():
        for message in messages_:
            form.add_error(field_name if field_name in form.fields else None, str(message))
    if not exc.field_errors:
        form.add_error(None, str(exc.message))


@requires(Cap.RECORD_VISIT)
def visit_create(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access_child(request.user, public_id)
    require(request.user, Cap.RECORD_VISIT, child)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = services.visit_record(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                kind=data["kind"],
                visited_on=data["visited_on"],
                saw_child=data["saw_child"],
                saw_caregiver=data["saw_caregiver"],
                spoke_to_parent=data["spoke_to_parent"],
                observations=form.observations(),
                concerns=data["concerns"],
                next_steps=data["next_steps"],
                risk_after=data["risk_after"],
            )
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The visit has been recorded."))
            if recorded.report_triggers:
                return render(
                    request,
                    "cases/report_prompt.html",
                    {
                        "child": child,
                        "visit": recorded.visit,
                        "triggers": recorded.report_triggers,
                        "report_url": reverse("safeguarding:report_new"),
                    },
                )
            return _back(child, "case")
    return render(request, "cases/visit_form.html", {"child": child, "form": form})


@requires(Cap.MANAGE_CASE)
def case_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access_child(request.user, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(request.user, Cap.MANAGE_CASE, child)
    case = services.case_open(actor=request.user, child=child)  # type: ignore[arg-type]
    form = CaseForm(request.POST, people=_people(child))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(
                actor=request.user,  # type: ignore[arg-type]
                case=case,
                version=data["version"],
                responsible=data["responsible"],
                status=data["status"],
                close_reason=data["close_reason"],
                close_note=data["close_note"],
            )
        except ValidationFailed as exc:
            for messages_ in exc.field_errors.values() or [[exc.message]]:
                for message in messages_:
                    messages.error(request, str(message))
        else:
            messages.success(request, _("The case has been saved."))
    else:
        messages.error(request, _("Please correct the case form."))
    return _back(child)


@requires(Cap.MANAGE_CASE)
def plan_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access_child(request.user, public_id)
    require(request.user, Cap.MANAGE_CASE, child)
    case = services.case_open(actor=request.user, child=child)  # type: ignore[arg-type]
    plan = case.plans.exclude(status="closed").first()
    kwargs = {"organisations": _organisations(child), "people": _people(child)}
    initial_actions = (
        [
            {
                "domain": a.domain,
                "description": a.description,
                "owner_organisation": a.owner_organisation,
                "owner_user": a.owner_user,
                "due_on": a.due_on,
            }
            for a in plan.actions.filter(status="open")
        ]
        if plan
        else []
    )
    blank_rows = 3
    form = PlanForm(
        request.POST or None,
        initial={"version": plan.version, "goals": plan.goals, "review_due_on": plan.review_due_on}
        if plan
        else None,
    )
    formset = PlanActionFormSet(
        request.POST or None,
        initial=[*initial_actions, *([{}] * blank_rows)],
        form_kwargs=kwargs,
        prefix="actions",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        actions = [
            services.ActionInput(
                domain=f.cleaned_data["domain"],
                description=f.cleaned_data["description"],
                due_on=f.cleaned_data["due_on"],
                owner_organisation=f.cleaned_data["owner_organisation"],
                owner_user=f.cleaned_data["owner_user"],
            )
            for f in formset.forms
            if not f.is_blank()
        ]
        try:
            saved = services.plan_save(
                actor=request.user,  # type: ignore[arg-type]
                case=case,
                goals=form.cleaned_data["goals"],
                review_due_on=form.cleaned_data["review_due_on"],
                actions=actions,
                version=form.cleaned_data.get("version"),
            )
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            if saved.status == saved.Status.AWAITING_APPROVAL:
                messages.success(
                    request, _("The plan has been saved and waits for the supervisor's approval.")
                )
            else:
                messages.success(request, _("The plan has been saved."))
            return _back(child, "plan")
    return render(
        request,
        "cases/plan_form.html",
        {"child": child, "case": case, "form": form, "formset": formset, "plan": plan},
    )


@requires(Cap.APPROVE_PLAN)
def plan_approve(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access_child(request.user, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(request.user, Cap.APPROVE_PLAN, child)
    plan = CarePlan.objects.filter(case__child=child, status="awaiting_approval").first()
    if plan is None:
        raise Http404
    try:
        services.plan_approve(
            actor=request.user,  # type: ignore[arg-type]
            plan=plan,
            version=int(request.POST.get("version", "0") or 0),
        )
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The plan has been approved."))
    return _back(child, "plan")


@requires(Cap.MANAGE_CASE)
def action_done(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    child = access_child(request.user, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action = PlanAction.objects.filter(pk=pk, plan__case__child=child).first()
    if action is None:
        raise Http404
    try:
        services.plan_action_done(actor=request.user, action=action)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
    return _back(child, "plan")


def case_panel_context(request: HttpRequest, child: Child) -> dict[str, object]:
    """What the child's profile shows of the case (see templates/cases/_case_panel.html)."""
    case = selectors.case_for(child=child)
    can_manage = can_on(request.user, Cap.MANAGE_CASE, child)
    plan = next(iter(case.plans.all()), None) if case else None
    return {
        "case": case,
        "plan": plan,
        "visits": selectors.visits_for(child=child),
        "can_manage_case": can_manage,
        "can_record_visit": can_on(request.user, Cap.RECORD_VISIT, child),
        "can_approve_plan": can_on(request.user, Cap.APPROVE_PLAN, child),
        "case_form": CaseForm(
            initial={
                "version": case.version,
                "responsible": case.responsible,
                "status": case.status,
            },
            people=_people(child),
        )
        if case and can_manage
        else None,
    }
