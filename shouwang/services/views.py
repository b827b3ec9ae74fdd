"""Pages of the services app: the catalogue, organisations' offers, deliveries and needs
from the child's profile, group activities with tap attendance, and the welfare mix.

Every view declares its capability; records are reached through ``access_child`` and the
``access_*`` selectors (a 404 for both missing and out of reach); writes go through
``services.py``."""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.chokepoints import access_child
from shouwang.access.policies import area_grants, can_on, require
from shouwang.access.views import requires
from shouwang.accounts.models import User
from shouwang.core.errors import ValidationFailed
from shouwang.services import selectors, services
from shouwang.services.forms import (
    ActivityForm,
    DeliveryForm,
    MixPeriodForm,
    NeedForm,
    OfferForm,
    ServiceTypeForm,
)
from shouwang.services.models import ServiceType


def _form_errors(form: forms.Form, exc: ValidationFailed) -> None:
    for field_name, messages_ in exc.field_errors.items():
        for message in messages_:
            form.add_error(field_name if field_name in form.fields else None, str(message))
    if not exc.field_errors:
        form.add_error(None, str(exc.message))


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- Catalogue ----------------------------------------------------------------------------


@requires(Cap.MANAGE_CATALOGUE)
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "services/catalogue.html", {"types": selectors.service_type_usage()})


@requires(Cap.MANAGE_CATALOGUE)
def type_new(request: HttpRequest) -> HttpResponse:
    form = ServiceTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                created = services.service_type_create(actor=_actor(request), **data)
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s has been added to the catalogue.") % {"name": created}
            )
            return redirect("services:catalogue")
    return render(request, "services/type_form.html", {"form": form, "service_type": None})


@requires(Cap.MANAGE_CATALOGUE)
def type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service_type = get_object_or_404(ServiceType, pk=pk)
    initial = {
        f: getattr(service_type, f)
        for f in ("name_zh", "name_en", "domain", "mode", "one_to_one", "active", "sort_order")
    }
    form = ServiceTypeForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.service_type_update(
                    actor=_actor(request), service_type=service_type, **form.cleaned_data
                )
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The service type has been saved."))
            return redirect("services:catalogue")
    return render(
        request,
        "services/type_form.html",
        {
            "form": form,
            "service_type": service_type,
            "in_use": services.service_type_in_use(service_type),
        },
    )


@requires(Cap.MANAGE_CATALOGUE)
def type_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    service_type = get_object_or_404(ServiceType, pk=pk)
    try:
        with transaction.atomic():
            services.service_type_delete(actor=_actor(request), service_type=service_type)
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
        return redirect("services:type_edit", pk=pk)
    messages.success(request, _("The service type has been deleted."))
    return redirect("services:catalogue")


# --- Organisations' offers ----------------------------------------------------------------


def _offer_form(request: HttpRequest, **kwargs: object) -> OfferForm:
    areas = selectors.offer_areas(request.user)
    return OfferForm(
        request.POST or None,
        organisations=selectors.organisations_serving(areas),
        service_types=selectors.service_type_list(active_only=True),
        areas=selectors.areas_below(areas, ["county", "township", "village"]),
        **kwargs,  # type: ignore[arg-type]
    )


@requires(Cap.MANAGE_OFFERS)
def offers(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "services/offers.html",
        {"rows": selectors.offers_by_organisation(viewer=request.user)},
    )


@requires(Cap.MANAGE_OFFERS)
def offer_new(request: HttpRequest) -> HttpResponse:
    initial = {"capacity_per_month": 10, "active": True}
    org = request.GET.get("organisation")
    if org:
        initial["organisation"] = selectors.organisation_serving_get(request.user, org)
    form = _offer_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.offer_save(actor=_actor(request), **form.cleaned_data)
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The offer has been saved."))
            return redirect("services:offers")
    return render(request, "services/offer_form.html", {"form": form, "offer": None})


@requires(Cap.MANAGE_OFFERS)
def offer_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    offer = selectors.access_offer(request.user, public_id)
    form = _offer_form(
        request,
        initial={
            "organisation": offer.organisation,
            "service_type": offer.service_type,
            "area": offer.area,
            "capacity_per_month": offer.capacity_per_month,
            "active": offer.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.offer_save(actor=_actor(request), offer=offer, **form.cleaned_data)
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The offer has been saved."))
            return redirect("services:offers")
    return render(request, "services/offer_form.html", {"form": form, "offer": offer})


# --- Deliveries and needs, from the child's profile ---------------------------------------


def _back(public_id: object) -> HttpResponse:
    return redirect(reverse("registry:child_detail", args=[public_id]) + "#services")


# Not @requires(RECORD_DELIVERY): a service provider holds it for referred children only,
# through the referral pages; here the child is reached by the area or school route.
@requires(Cap.VIEW_CHILD)
def delivery_new(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access_child(request.user, public_id)
    require(request.user, Cap.RECORD_DELIVERY, child)
    can_close = can_on(request.user, Cap.MANAGE_CASE, child)
    form = DeliveryForm(
        request.POST or None,
        service_types=selectors.service_type_list(active_only=True),
        organisations=selectors.organisations_serving([child.village]),
        plan_actions=selectors.plan_actions_open(child=child),
        can_close_actions=can_close,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.record_delivery(
                    actor=_actor(request),
                    child=child,
                    service_type=data["service_type"],
                    delivered_on=data["delivered_on"],
                    duration_minutes=data["duration_minutes"],
                    organisation=data["organisation"],
                    plan_action=data["plan_action"],
                    mark_action_done=bool(data.get("mark_action_done")),
                    notes=data["notes"],
                )
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The service has been recorded."))
            return _back(child.public_id)
    return render(request, "services/delivery_form.html", {"child": child, "form": form})


@requires(Cap.RAISE_NEED)
def need_new(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access_child(request.user, public_id, Cap.RAISE_NEED)
    form = NeedForm(
        request.POST or None,
        service_types=selectors.service_type_list(active_only=True),
        plan_actions=selectors.plan_actions_open(child=child),
        initial={"hours_per_month": 2},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.raise_need(actor=_actor(request), child=child, **form.cleaned_data)
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The need has been recorded."))
            return _back(child.public_id)
    return render(request, "services/need_form.html", {"child": child, "form": form})


# --- Group activities and attendance ------------------------------------------------------


@requires(Cap.MANAGE_ACTIVITY)
def activities(request: HttpRequest) -> HttpResponse:
    rows = selectors.activity_list(viewer=request.user).order_by("-held_on", "-pk")[:50]
    return render(request, "services/activity_list.html", {"activities": rows})


@requires(Cap.MANAGE_ACTIVITY)
def activity_new(request: HttpRequest) -> HttpResponse:
    areas = selectors.activity_areas(request.user)
    form = ActivityForm(
        request.POST or None,
        service_types=selectors.service_type_list(active_only=True),
        areas=areas,
        organisations=selectors.organisations_serving(
            area_grants(request.user, Cap.MANAGE_ACTIVITY)
        ),
        initial={"held_on": timezone.localdate(), "duration_minutes": 60, "area": areas.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                activity = services.activity_create(actor=_actor(request), **form.cleaned_data)
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The activity has been created. Tap who came."))
            return redirect("services:attendance", public_id=activity.public_id)
    return render(request, "services/activity_form.html", {"form": form})


@requires(Cap.MANAGE_ACTIVITY)
def attendance(request: HttpRequest, public_id: str) -> HttpResponse:
    activity = selectors.access_activity(request.user, public_id)
    query = request.GET.get("q", "")[:50]
    roster = selectors.attendance_roster(viewer=request.user, activity=activity, query=query)
    context = {
        "activity": activity,
        "children": roster.children,
        "roster": roster,
        "n_present": roster.present,
        "q": query,
    }
    if request.htmx and request.GET.get("partial") == "list":  # type: ignore[attr-defined]
        return render(request, "services/_roster.html", context)
    return render(request, "services/attendance.html", context)


@requires(Cap.MANAGE_ACTIVITY)
def attendance_tap(request: HttpRequest, public_id: str, child_id: str) -> HttpResponse:
    """Mark (``present=1``) or unmark (``present=0``) one child. Idempotent: the state is
    said, not toggled, so a repeated tap on a slow network does no harm."""
    activity = selectors.access_activity(request.user, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    child = access_child(request.user, child_id, Cap.MANAGE_ACTIVITY)
    want_present = request.POST.get("present") != "0"
    try:
        with transaction.atomic():
            if want_present:
                services.attendance_mark(actor=_actor(request), activity=activity, child=child)
            else:
                services.attendance_unmark(actor=_actor(request), activity=activity, child=child)
    except ValidationFailed as exc:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(str(exc.message), status=422)
        messages.error(request, str(exc.message))
        return redirect("services:attendance", public_id=activity.public_id)
    if request.htmx:  # type: ignore[attr-defined]
        child.is_present = want_present  # type: ignore[attr-defined]
        return render(
            request,
            "services/_tap.html",
            {
                "activity": activity,
                "c": child,
                "q": request.POST.get("q", ""),
                "n_present": selectors.attendance_count(activity=activity),
                "oob": True,
            },
        )
    query = request.POST.get("q", "")
    url = reverse("services:attendance", args=[activity.public_id])
    if query:
        url = f"{url}?{urlencode({'q': query})}"
    return redirect(f"{url}#c-{child.public_id}")


# --- Welfare mix --------------------------------------------------------------------------


@requires(Cap.VIEW_WELFARE_MIX)
def welfare_mix(request: HttpRequest) -> HttpResponse:
    townships = selectors.mix_townships(request.user)
    form = MixPeriodForm(request.GET or None, townships=townships)
    today = timezone.localdate()
    start = today - dt.timedelta(days=selectors.DEFAULT_DAYS - 1)
    end = today
    town = None
    if form.is_bound and form.is_valid():
        town = form.cleaned_data["town"]
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        if start > end:
            start = end - dt.timedelta(days=selectors.DEFAULT_DAYS - 1)
    if town is None:
        town = townships.first() if len(townships) == 1 else None
    mix = (
        selectors.welfare_mix(viewer=request.user, township=town, start=start, end=end)
        if town is not None
        else None
    )
    if not form.is_bound:
        form = MixPeriodForm(
            initial={"town": town.code if town else None, "start": start, "end": end},
            townships=townships,
        )
    return render(
        request,
        "services/welfare_mix.html",
        {"form": form, "mix": mix, "start": start, "end": end, "choose_town": len(townships) > 1},
    )
