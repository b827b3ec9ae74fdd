"""Forms of the services app: they parse and type-check; the rules are in services.py."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.accounts.models import Organisation
from shouwang.cases.models import Domain, PlanAction
from shouwang.geo.models import Area
from shouwang.registry.forms import DateInput
from shouwang.services.models import ServiceType


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:  # type: ignore[override]
        if obj.parent is not None and obj.level.slug == "village":
            return f"{obj.parent.display_name} · {obj.display_name}"
        return obj.display_name


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:  # type: ignore[override]
        return f"{obj} ({obj.get_sector_display()})"


class PlanActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PlanAction) -> str:  # type: ignore[override]
        return f"{obj.get_domain_display()} · {obj.description} · {obj.due_on:%Y-%m-%d}"


class ServiceTypeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Lower-case letters, digits and underscores; it cannot be changed later."),
    )
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100)
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    mode = forms.ChoiceField(label=_("Mode"), choices=ServiceType.Mode.choices)
    one_to_one = forms.BooleanField(
        label=_("Involves being alone with the child"),
        required=False,
        help_text=_("Only vetted volunteers are ever matched to such a service."),
    )
    active = forms.BooleanField(
        label=pgettext_lazy("catalogue or offer", "Active"), required=False, initial=True
    )
    sort_order = forms.IntegerField(label=_("Order in lists"), min_value=0, max_value=32767)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"sort_order": 100, "active": True})
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        else:
            del self.fields["active"]


class OfferForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=ServiceType.objects.none())
    area = AreaChoiceField(label=_("Service area"), queryset=Area.objects.none())
    capacity_per_month = forms.IntegerField(label=_("Children a month"))
    active = forms.BooleanField(
        label=pgettext_lazy("catalogue or offer", "Active"), required=False, initial=True
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        service_types: QuerySet[ServiceType],
        areas: QuerySet[Area],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["service_type"].queryset = service_types  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class DeliveryForm(forms.Form):
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=ServiceType.objects.none())
    delivered_on = forms.DateField(label=_("Date"), widget=DateInput())
    duration_minutes = forms.IntegerField(label=_("How long (minutes)"), initial=60)
    organisation = OrganisationChoiceField(
        label=_("Delivered by"), queryset=Organisation.objects.none(), required=False
    )
    plan_action = PlanActionChoiceField(
        label=_("Plan action it fulfils"), queryset=PlanAction.objects.none(), required=False
    )
    mark_action_done = forms.BooleanField(label=_("The plan action is now done"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        service_types: QuerySet[ServiceType],
        organisations: QuerySet[Organisation],
        plan_actions: QuerySet[PlanAction],
        can_close_actions: bool,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = service_types  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["plan_action"].queryset = plan_actions  # type: ignore[attr-defined]
        if not can_close_actions:
            del self.fields["mark_action_done"]


class NeedForm(forms.Form):
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=ServiceType.objects.none())
    hours_per_month = forms.IntegerField(label=_("Hours a month"), initial=2)
    plan_action = PlanActionChoiceField(
        label=_("Plan action"), queryset=PlanAction.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        service_types: QuerySet[ServiceType],
        plan_actions: QuerySet[PlanAction],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = service_types  # type: ignore[attr-defined]
        self.fields["plan_action"].queryset = plan_actions  # type: ignore[attr-defined]


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=ServiceType.objects.none())
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    area = AreaChoiceField(label=_("Village or township"), queryset=Area.objects.none())
    organiser = OrganisationChoiceField(label=_("Organiser"), queryset=Organisation.objects.none())
    duration_minutes = forms.IntegerField(label=_("How long (minutes)"), initial=60)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        service_types: QuerySet[ServiceType],
        areas: QuerySet[Area],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = service_types  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["organiser"].queryset = organisations  # type: ignore[attr-defined]


class MixPeriodForm(forms.Form):
    town = AreaChoiceField(label=_("Township"), queryset=Area.objects.none(), required=False)
    start = forms.DateField(
        label=pgettext_lazy("period", "From"), widget=DateInput(), required=False
    )
    end = forms.DateField(label=pgettext_lazy("period", "To"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, townships: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = townships  # type: ignore[attr-defined]
        self.fields["town"].to_field_name = "code"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("start")
        end: dt.date | None = data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period must not be before its start."))
        return data
