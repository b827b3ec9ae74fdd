"""Referral pages: the provider's inbox, the list of the area's referrals, the "refer" form
reached from the child's profile, and one referral with its steps (accept, decline, record
a delivery, complete, withdraw).

Thin views: the referral is reached through ``access_referral`` first (an outsider, or the
receiving organisation once the referral is closed, gets 404 and learns nothing), then the
step's capability is checked (``require``: 403 for someone who may see the referral but not
take this step), then the service, then render.
"""

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
from shouwang.access.policies import can_on, require
from shouwang.access.views import requires
from shouwang.accounts.models import Organisation
from shouwang.cases.models import PlanAction
from shouwang.core.errors import ValidationFailed
from shouwang.referrals import domain, selectors, services
from shouwang.referrals.domain import Step
from shouwang.referrals.forms import CompleteForm, DeclineForm, DeliveryForm, ReferralForm, StepForm
from shouwang.referrals.models import Referral
from shouwang.registry.models import Child
from shouwang.safeguarding.forms import add_service_errors
from shouwang.services.models import ServiceType
from shouwang.services.services import record_delivery

STEP_CAPS = {
    Step.ACCEPT: Cap.RESPOND_REFERRAL,
    Step.DECLINE: Cap.RESPOND_REFERRAL,
    Step.COMPLETE: Cap.RESPOND_REFERRAL,
    Step.WITHDRAW: Cap.MAKE_REFERRAL,
}
STEP_FORMS: dict[Step, type[StepForm]] = {
    Step.ACCEPT: StepForm,
    Step.DECLINE: DeclineForm,
    Step.COMPLETE: CompleteForm,
    Step.WITHDRAW: StepForm,
}
STEP_TITLES = {
    Step.ACCEPT: gettext_lazy("Accept"),
    Step.DECLINE: gettext_lazy("Decline"),
    Step.COMPLETE: gettext_lazy("Complete the referral"),
    Step.WITHDRAW: gettext_lazy("Withdraw the referral"),
}
DONE_MESSAGES = {
    Step.ACCEPT: gettext_lazy("Accepted. Contact the caregiver to arrange the service."),
    Step.DECLINE: gettext_lazy("Declined. The sender has been told."),
    Step.COMPLETE: gettext_lazy("The referral is completed. Thank you."),
    Step.WITHDRAW: gettext_lazy("The referral has been withdrawn."),
}


# --- Making a referral ----------------------------------------------------------------


def _referral_form(child: Child, data: Any = None) -> ReferralForm:
    offers = services.offers_covering(child).select_related("organisation")
    organisations: dict[str, str] = {}
    for offer in offers.order_by("organisation__name_zh", "pk"):
        organisations.setdefault(str(offer.organisation.public_id), str(offer.organisation))
    plan_actions = PlanAction.objects.filter(plan__case__child=child, status="open").order_by(
        "due_on", "pk"
    )
    return ReferralForm(
        data,
        services=[(str(t.public_id), str(t)) for t in ServiceType.objects.filter(active=True)],
        organisations=list(organisations.items()),
        plan_actions=[(str(a.pk), a.description) for a in plan_actions],
    )


@requires(Cap.MAKE_REFERRAL)
def referral_new(request: HttpRequest, public_id: str) -> HttpResponse:
    """Refer a child (reached through her profile) to an organisation."""
    child = access_child(request.user, public_id)
    require(request.user, Cap.MAKE_REFERRAL, child)  # type: ignore[arg-type]
    form = _referral_form(child, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                to_organisation=Organisation.objects.filter(
                    public_id=data["to_organisation"]
                ).first(),
                service_type=ServiceType.objects.filter(public_id=data["service_type"]).first(),
                need=data["need"],
                plan_action=PlanAction.objects.filter(
                    pk=data["plan_action"], plan__case__child=child
                ).first()
                if data["plan_action"]
                else None,
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Referral sent. %(org)s has until %(due)s to answer.")
                % {
                    "org": referral.to_organisation,
                    "due": timezone.localtime(referral.respond_by).strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect("referrals:detail", public_id=referral.public_id)
    no_offers = len(form.fields["to_organisation"].choices) <= 1  # type: ignore[attr-defined]
    return render(
        request,
        "referrals/referral_form.html",
        {"child": child, "form": form, "no_offers": no_offers},
    )


# --- One referral ---------------------------------------------------------------------


def _step_form(step: Step, referral: Referral, data: Any = None) -> StepForm:
    return STEP_FORMS[step](data, initial={"version": referral.version}, auto_id=f"id_{step}_%s")


def _render_detail(
    request: HttpRequest,
    referral: Referral,
    bound: tuple[Step, forms.Form] | None = None,
    delivery_form: DeliveryForm | None = None,
) -> HttpResponse:
    user = request.user
    step_forms: list[dict[str, Any]] = []
    for step in domain.steps_from(referral.status):
        if not can_on(user, STEP_CAPS[step], referral):
            continue
        form = bound[1] if bound and bound[0] == step else _step_form(step, referral)
        step_forms.append(
            {
                "step": str(step),
                "title": STEP_TITLES[step],
                "form": form,
                "url": reverse(f"referrals:{step}", args=[referral.public_id]),
            }
        )
    errors: list[str] = []
    if bound and not any(f["step"] == bound[0] for f in step_forms):
        errors = [str(e) for e in bound[1].non_field_errors()]
    receiving = referral.to_organisation_id in selectors.receiving_organisations(user)
    can_deliver = receiving and referral.status == Referral.Status.ACCEPTED
    sheet = selectors.referral_sheet(viewer=user, referral=referral)
    if receiving and sheet.identified:
        services.referral_record_view(actor=user, referral=referral)  # type: ignore[arg-type]
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "sheet": sheet,
            "deliveries": selectors.referral_deliveries(referral=referral),
            "step_forms": step_forms,
            "errors": errors,
            "delivery_form": (delivery_form or DeliveryForm()) if can_deliver else None,
            "overdue": domain.is_overdue(referral.status, referral.respond_by, timezone.now()),
        },
    )


@requires(Cap.VIEW_REFERRALS)
def referral_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    referral = selectors.access_referral(request.user, public_id)
    return _render_detail(request, referral)


def _act(request: HttpRequest, public_id: str, step: Step) -> HttpResponse:
    referral = selectors.access_referral(request.user, public_id)  # first: 404 outside reach
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(request.user, STEP_CAPS[step], referral)  # type: ignore[arg-type]
    form = STEP_FORMS[step](request.POST, auto_id=f"id_{step}_%s")
    if form.is_valid():
        data = dict(form.cleaned_data)
        kwargs: dict[str, Any] = {"actor": request.user, "referral": referral, **data}
        action = {
            Step.ACCEPT: services.referral_accept,
            Step.DECLINE: services.referral_decline,
            Step.COMPLETE: services.referral_complete,
            Step.WITHDRAW: services.referral_withdraw,
        }[step]
        try:
            referral = action(**kwargs)
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, str(DONE_MESSAGES[step]))
            if referral.status in domain.OPEN:
                return redirect("referrals:detail", public_id=referral.public_id)
            if referral.to_organisation_id in selectors.receiving_organisations(request.user):
                return redirect("referrals:inbox")  # closed: no longer hers to open
            return redirect("referrals:detail", public_id=referral.public_id)
    return _render_detail(request, referral, bound=(step, form))


@requires(Cap.VIEW_REFERRALS)
def referral_accept(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, Step.ACCEPT)


@requires(Cap.VIEW_REFERRALS)
def referral_decline(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, Step.DECLINE)


@requires(Cap.VIEW_REFERRALS)
def referral_complete(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, Step.COMPLETE)


@requires(Cap.VIEW_REFERRALS)
def referral_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    return _act(request, public_id, Step.WITHDRAW)


@requires(Cap.VIEW_REFERRALS)
def referral_deliver(request: HttpRequest, public_id: str) -> HttpResponse:
    """The receiving organisation records a delivery against an accepted referral."""
    referral = selectors.access_referral(request.user, public_id)  # first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(request.user, Cap.RESPOND_REFERRAL, referral)  # type: ignore[arg-type]
    form = DeliveryForm(request.POST)
    if referral.status != Referral.Status.ACCEPTED:
        form.add_error(None, _("Deliveries are recorded once the referral is accepted."))
    elif form.is_valid():
        data = form.cleaned_data
        try:
            record_delivery(
                actor=request.user,  # type: ignore[arg-type]
                child=referral.child,
                service_type=referral.service_type,
                delivered_on=data["delivered_on"],
                duration_minutes=data["duration_minutes"],
                organisation=referral.to_organisation,
                plan_action=referral.plan_action,
                referral=referral,
                notes=data["notes"],
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The delivery has been recorded."))
            return redirect("referrals:detail", public_id=referral.public_id)
    return _render_detail(request, referral, delivery_form=form)


# --- Lists ----------------------------------------------------------------------------


def _rows(request: HttpRequest, referrals: list[Referral]) -> list[dict[str, Any]]:
    now = timezone.now()
    sheets = selectors.referral_sheets(viewer=request.user, referrals=referrals)
    return [
        {"referral": r, "sheet": sheet, "overdue": domain.is_overdue(r.status, r.respond_by, now)}
        for r, sheet in zip(referrals, sheets, strict=True)
    ]


@requires(Cap.RESPOND_REFERRAL)
def inbox(request: HttpRequest) -> HttpResponse:
    """The provider's first page: open referrals to her organisation, pending first."""
    rows, total = selectors.inbox(viewer=request.user)
    return render(
        request,
        "referrals/inbox.html",
        {
            "rows": _rows(request, rows),
            "hours": services.response_hours(),
            "total": total,
        },
    )


STATUS_LABELS = {
    "open": gettext_lazy("Open"),
    "overdue": gettext_lazy("Overdue"),
    **dict(Referral.Status.choices),
}


@requires(Cap.VIEW_REFERRALS)
def referral_list(request: HttpRequest) -> HttpResponse:
    """The referrals of the viewer's area (by the child's village), with status filters."""
    status = request.GET.get("status", "open")
    if status not in selectors.STATUS_FILTERS and status != "all":
        status = "open"
    rows, total = selectors.referral_list(
        viewer=request.user, status="" if status == "all" else status
    )
    return render(
        request,
        "referrals/referral_list.html",
        {
            "rows": _rows(request, rows),
            "status": status,
            "total": total,
            "filters": [("all", _("All")), *STATUS_LABELS.items()],
        },
    )
