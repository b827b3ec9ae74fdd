"""Resource registry pages: volunteers, funds, donated material. Reading needs
``resources.view_resources``, writing ``resources.manage_resources``; every record is
reached through its ``access_*`` choke point first (404 outside the viewer's area), then
the write capability is checked on it (403 for a reader)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can, can_on, require
from shouwang.access.views import requires
from shouwang.core.errors import ValidationFailed
from shouwang.resources import selectors, services
from shouwang.resources.forms import (
    DistributionForm,
    DonationForm,
    FundEntryForm,
    FundForm,
    VolunteerForm,
)
from shouwang.resources.models import Volunteer
from shouwang.safeguarding.forms import add_service_errors


def _base(request: HttpRequest, tab: str) -> dict[str, Any]:
    return {"tab": tab, "can_manage": can(request.user, Cap.MANAGE_RESOURCES)}


# --- Volunteers -----------------------------------------------------------------------


@requires(Cap.VIEW_RESOURCES)
def volunteer_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.volunteer_list(viewer=request.user))
    return render(
        request, "resources/volunteer_list.html", {**_base(request, "volunteers"), "rows": rows}
    )


@requires(Cap.VIEW_RESOURCES)
def volunteer_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    volunteer = selectors.access_volunteer(request.user, public_id)
    return render(
        request,
        "resources/volunteer_detail.html",
        {
            **_base(request, "volunteers"),
            "v": volunteer,
            # Phone numbers are personal data: only those who manage the volunteer see them.
            "show_phone": can_on(request.user, Cap.MANAGE_RESOURCES, volunteer),
        },
    )


def _volunteer_form(request: HttpRequest, volunteer: Volunteer | None) -> HttpResponse:
    areas = selectors.manageable_areas(viewer=request.user)
    initial: dict[str, Any] = {}
    if volunteer is not None:
        initial = {
            "name": volunteer.name,
            "phone": volunteer.phone,
            "organisation": volunteer.organisation,
            "area": volunteer.area,
            "skills": list(volunteer.skills.all()),
            "dialects": volunteer.dialects,
            "hours_per_month": volunteer.hours_per_month,
            "available_days": volunteer.available_days,
            "max_travel_km": volunteer.max_travel_km,
            "vetting": volunteer.vetting,
            "vetted_on": volunteer.vetted_on,
            "active": volunteer.active,
        }
    form = VolunteerForm(request.POST or None, initial=initial, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.volunteer_save(
                actor=request.user,  # type: ignore[arg-type]
                volunteer=volunteer,
                **form.cleaned_data,
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The volunteer has been saved."))
            return redirect("resources:volunteer_detail", public_id=saved.public_id)
    return render(
        request,
        "resources/volunteer_form.html",
        {**_base(request, "volunteers"), "form": form, "v": volunteer},
    )


@requires(Cap.MANAGE_RESOURCES)
def volunteer_new(request: HttpRequest) -> HttpResponse:
    return _volunteer_form(request, None)


@requires(Cap.VIEW_RESOURCES)
def volunteer_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    volunteer = selectors.access_volunteer(request.user, public_id)
    require(request.user, Cap.MANAGE_RESOURCES, volunteer)
    return _volunteer_form(request, volunteer)


# --- Funds ----------------------------------------------------------------------------


@requires(Cap.VIEW_RESOURCES)
def fund_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.fund_list(viewer=request.user))
    return render(request, "resources/fund_list.html", {**_base(request, "funds"), "rows": rows})


def _register(
    request: HttpRequest,
    *,
    form_class: type[FundForm] | type[DonationForm],
    register: Callable[..., Any],
    tab: str,
    title: str,
    saved: str,
    detail: str,
) -> HttpResponse:
    """A new fund or donation: the form limited to the areas she manages, the service,
    then the record's page (or the form again with the service's messages)."""
    form = form_class(request.POST or None, areas=selectors.manageable_areas(viewer=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            record = register(actor=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, saved)
            return redirect(detail, public_id=record.public_id)
    return render(
        request, "resources/record_form.html", {**_base(request, tab), "form": form, "title": title}
    )


@requires(Cap.MANAGE_RESOURCES)
def fund_new(request: HttpRequest) -> HttpResponse:
    return _register(
        request,
        form_class=FundForm,
        register=services.fund_register,
        tab="funds",
        title=_("Register a fund"),
        saved=_("The fund has been registered."),
        detail="resources:fund_detail",
    )


@requires(Cap.VIEW_RESOURCES)
def fund_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    fund = selectors.access_fund(request.user, public_id)
    can_manage = can_on(request.user, Cap.MANAGE_RESOURCES, fund)
    form = None
    if request.method == "POST":
        require(request.user, Cap.MANAGE_RESOURCES, fund)
        form = FundEntryForm(request.POST)
        if form.is_valid():
            try:
                services.fund_entry_record(actor=request.user, fund=fund, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The entry has been recorded."))
                return redirect("resources:fund_detail", public_id=fund.public_id)
    elif can_manage:
        form = FundEntryForm()
    return render(
        request,
        "resources/fund_detail.html",
        {
            **_base(request, "funds"),
            "fund": fund,
            "entries": list(fund.entries.all()),
            "form": form,
            "left": fund.amount - fund.allocated,  # type: ignore[attr-defined]
        },
    )


# --- Donated material -----------------------------------------------------------------


@requires(Cap.VIEW_RESOURCES)
def donation_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.donation_list(viewer=request.user))
    return render(
        request, "resources/donation_list.html", {**_base(request, "material"), "rows": rows}
    )


@requires(Cap.MANAGE_RESOURCES)
def donation_new(request: HttpRequest) -> HttpResponse:
    return _register(
        request,
        form_class=DonationForm,
        register=services.donation_register,
        tab="material",
        title=_("Register donated material"),
        saved=_("The donation has been registered."),
        detail="resources:donation_detail",
    )


@requires(Cap.VIEW_RESOURCES)
def donation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    donation = selectors.access_donation(request.user, public_id)
    can_manage = can_on(request.user, Cap.MANAGE_RESOURCES, donation)
    children = selectors.children_for_donation(viewer=request.user, donation=donation)
    form = None
    if request.method == "POST":
        require(request.user, Cap.MANAGE_RESOURCES, donation)
        form = DistributionForm(request.POST, children=children)
        if form.is_valid():
            try:
                services.donation_distribute(
                    actor=request.user,  # type: ignore[arg-type]
                    donation=donation,
                    **form.cleaned_data,
                )
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect("resources:donation_detail", public_id=donation.public_id)
    elif can_manage:
        form = DistributionForm(children=children)
    given = list(donation.distributions.select_related("child"))
    return render(
        request,
        "resources/donation_detail.html",
        {
            **_base(request, "material"),
            "d": donation,
            "given": given,
            "form": form,
            "left": donation.quantity - donation.given,  # type: ignore[attr-defined]
        },
    )
