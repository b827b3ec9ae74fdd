"""Registry pages: the child list with search, the profile, register and edit.

Thin views: declare the access rule, reach the record through ``access_child``, call a
selector or a service, render.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.access.capabilities import Cap
from shouwang.access.chokepoints import access_child
from shouwang.access.policies import can, can_on, require
from shouwang.access.views import requires
from shouwang.assessments.views import assessments_panel_context
from shouwang.cases.forms import ContactLogForm
from shouwang.cases.selectors import contact_list, parents_of, timeline_for
from shouwang.cases.views import case_panel_context
from shouwang.core.errors import ValidationFailed
from shouwang.duplicates.registration import likely_duplicates
from shouwang.fuc.views import fuc_panel_context
from shouwang.geo.models import Area
from shouwang.referrals.selectors import referrals_panel_context
from shouwang.registry import selectors, services
from shouwang.registry.forms import RegistrationForms, VillageChoiceField, initial_from_child
from shouwang.registry.models import CareArrangement, Child, Sex
from shouwang.rules.selectors import classifications_for
from shouwang.safeguarding.views import safeguarding_panel_context
from shouwang.services.selectors import services_panel_context


class ChildFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={
                "placeholder": gettext_lazy("Name, pinyin or initials, e.g. zhm"),
                "type": "search",
            }
        ),
    )
    village = VillageChoiceField(
        label=gettext_lazy("Village"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=gettext_lazy("All villages"),
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"),
        required=False,
        choices=[("", gettext_lazy("Any")), *Sex.choices],
    )
    care = forms.ChoiceField(
        label=gettext_lazy("Cared for by"),
        required=False,
        choices=[("", gettext_lazy("Any")), *CareArrangement.Category.choices],
    )
    alert = forms.ChoiceField(
        label=gettext_lazy("Alerts"),
        required=False,
        choices=[
            ("", gettext_lazy("Any")),
            ("red", gettext_lazy("Urgent alert")),
            ("any", gettext_lazy("Any alert")),
        ],
    )
    age_min = forms.IntegerField(
        label=gettext_lazy("Age from"), required=False, min_value=0, max_value=17
    )
    age_max = forms.IntegerField(
        label=gettext_lazy("Age to"), required=False, min_value=0, max_value=17
    )

    def __init__(self, *args: object, villages: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]

    def filters(self) -> selectors.ChildFilters:
        d = self.cleaned_data
        return selectors.ChildFilters(
            query=d.get("q") or "",
            village=d.get("village"),
            sex=d.get("sex") or "",
            care=d.get("care") or "",
            age_min=d.get("age_min"),
            age_max=d.get("age_max"),
            alert=d.get("alert") or "",
        )


@requires(Cap.VIEW_CHILD)
def child_list(request: HttpRequest) -> HttpResponse:
    villages = selectors.villages_for_viewer(viewer=request.user)
    form = ChildFilterForm(request.GET or None, villages=villages)
    filters = form.filters() if form.is_valid() else selectors.ChildFilters()
    children = selectors.child_list(viewer=request.user, filters=filters)
    page = Paginator(children, settings.SHOUWANG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "querystring": query.urlencode(),
        "can_register": can(request.user, Cap.REGISTER_CHILD),
        "can_import": can(request.user, Cap.IMPORT_CENSUS),
        "can_review_duplicates": can(request.user, Cap.REVIEW_DUPLICATES),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "registry/_child_results.html", context)
    return render(request, "registry/child_list.html", context)


@requires(Cap.VIEW_CHILD)
def child_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access_child(request.user, public_id)
    services.child_record_view(actor=request.user, child=child)  # type: ignore[arg-type]
    child = selectors.child_profile(child)
    relations = list(child.relations.all())
    parents = {r.relation: r.person for r in relations if r.relation in ("father", "mother")}
    care = list(child.care_arrangements.all())
    current_care = next((c for c in care if c.ended_on is None), None)
    carer_relation = None
    if current_care is not None and current_care.caregiver_id is not None:
        carer_relation = next(
            (r for r in relations if r.person_id == current_care.caregiver_id), None
        )
    return render(
        request,
        "registry/child_detail.html",
        {
            "child": child,
            "father": parents.get("father"),
            "mother": parents.get("mother"),
            "current_care": current_care,
            "carer_relation": carer_relation,
            "past_care": [c for c in care if c.ended_on is not None],
            "can_change": can_on(request.user, Cap.CHANGE_CHILD, child),
            **_contact_context(request, child),
            **fuc_panel_context(request, child),
            **case_panel_context(request, child),
            **assessments_panel_context(request, child),
            **safeguarding_panel_context(request, child),
            **referrals_panel_context(request, child),
            **services_panel_context(request.user, child),
            "timeline": timeline_for(viewer=request.user, child=child),
            "classifications": classifications_for(viewer=request.user, child=child),
            "can_decide": can_on(request.user, Cap.DECIDE_CLASSIFICATION, child),
        },
    )


def _contact_context(request: HttpRequest, child: Child) -> dict[str, object]:
    can_log = can_on(request.user, Cap.LOG_CONTACT, child)
    return {
        "contacts": contact_list(child=child),
        "can_log_contact": can_log,
        "contact_form": ContactLogForm(parents=parents_of(child=child)) if can_log else None,
    }


@requires(Cap.REGISTER_CHILD)
def child_register(request: HttpRequest) -> HttpResponse:
    villages = selectors.villages_for_viewer(viewer=request.user, cap=Cap.REGISTER_CHILD)
    schools = selectors.schools_for_viewer(viewer=request.user, cap=Cap.REGISTER_CHILD)
    bundle = RegistrationForms(request.POST or None, villages=villages, schools=schools)
    if request.method == "POST" and bundle.is_valid():
        # A likely duplicate is shown before anything is saved; the registrar confirms it
        # is a different child to go on (issue 8: duplicates across villages).
        candidates = []
        if not request.POST.get("register_anyway"):
            try:
                services.child_registration_check(
                    actor=request.user,  # type: ignore[arg-type]
                    village=bundle.village(),
                    registration=bundle.registration(),
                )
            except ValidationFailed:
                pass  # the service below reports these errors at their fields
            else:
                candidates = likely_duplicates(
                    viewer=request.user,
                    registration=bundle.registration(),
                    village=bundle.village(),
                )
            if candidates:
                return render(
                    request,
                    "registry/child_form.html",
                    {
                        "bundle": bundle,
                        "title": _("Register a child"),
                        "child": None,
                        "duplicate_candidates": candidates,
                    },
                )
        try:
            written = services.child_register(
                actor=request.user,  # type: ignore[arg-type]
                village=bundle.village(),
                registration=bundle.registration(),
            )
        except ValidationFailed as exc:
            bundle.add_errors(exc)
        else:
            messages.success(
                request, _("%(name)s has been registered.") % {"name": written.child.name}
            )
            for warning in written.warnings:
                messages.warning(request, warning)
            return redirect("registry:child_detail", public_id=written.child.public_id)
    return render(
        request,
        "registry/child_form.html",
        {"bundle": bundle, "title": _("Register a child"), "child": None},
    )


@requires(Cap.CHANGE_CHILD)
def child_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access_child(request.user, public_id)
    require(request.user, Cap.CHANGE_CHILD, child)
    child = selectors.child_profile(child)
    villages = Area.objects.filter(pk=child.village_id).select_related("parent")
    schools = selectors.schools_for_viewer(viewer=request.user, cap=Cap.CHANGE_CHILD)
    bundle = RegistrationForms(
        request.POST or None,
        villages=villages,
        schools=schools,
        initial=initial_from_child(child),
    )
    bundle.child.fields["village"].disabled = True
    if request.method == "POST" and bundle.is_valid():
        try:
            written = services.child_update(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                registration=bundle.registration(),
            )
        except ValidationFailed as exc:
            bundle.add_errors(exc)
        else:
            messages.success(
                request, _("The record of %(name)s has been saved.") % {"name": written.child.name}
            )
            for warning in written.warnings:
                messages.warning(request, warning)
            return redirect("registry:child_detail", public_id=written.child.public_id)
    return render(
        request,
        "registry/child_form.html",
        {"bundle": bundle, "title": _("Edit %(name)s") % {"name": child.name}, "child": child},
    )
