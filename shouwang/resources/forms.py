"""HTML input for the resources registry. Forms check types; the rules (areas within the
user's, sums of a fund, what is left of a donation) are the services'."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.accounts.models import Organisation
from shouwang.geo.models import Area
from shouwang.registry.forms import DateInput
from shouwang.registry.models import Child
from shouwang.resources.models import FundEntry, Volunteer
from shouwang.services.models import ServiceType


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return obj.display_name


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Child) -> str:
        return obj.name


def _areas(areas: list[Area]) -> Any:
    return Area.objects.filter(pk__in=[a.pk for a in areas]).order_by("path")


class VolunteerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Volunteer team or organisation"),
        queryset=Organisation.objects.filter(active=True),
        required=False,
    )
    area = AreaChoiceField(label=_("Lives in"), queryset=Area.objects.none())
    skills = forms.ModelMultipleChoiceField(
        label=_("Can do"),
        queryset=ServiceType.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    dialects = forms.CharField(
        label=_("Dialects and languages"),
        max_length=200,
        required=False,
        help_text=_("Separated by commas, e.g. Mandarin, Xiang"),
    )
    hours_per_month = forms.IntegerField(label=_("Hours offered a month"), initial=8)
    available_days = forms.CharField(
        label=_("When available"), max_length=100, required=False, help_text=_("e.g. weekends")
    )
    max_travel_km = forms.IntegerField(label=_("Travels up to (km)"), initial=10)
    vetting = forms.ChoiceField(label=_("Vetting"), choices=Volunteer.Vetting.choices)
    vetted_on = forms.DateField(label=_("Vetted on"), required=False, widget=DateInput())
    active = forms.BooleanField(
        label=pgettext_lazy("volunteer", "Active"), required=False, initial=True
    )

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas(areas)  # type: ignore[attr-defined]


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.CharField(label=_("Source"), max_length=200)
    sector = forms.ChoiceField(label=_("Welfare sector"), choices=Organisation.Sector.choices)
    area = AreaChoiceField(label=_("Area"), queryset=Area.objects.none())
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas(areas)  # type: ignore[attr-defined]


class FundEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FundEntry.Kind.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    purpose = forms.CharField(label=_("For"), max_length=200)


class DonationForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=200)
    quantity = forms.IntegerField(label=_("Quantity"))
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    donor = forms.ModelChoiceField(
        label=_("Donor organisation"),
        queryset=Organisation.objects.filter(active=True),
        required=False,
    )
    donor_name = forms.CharField(
        label=_("Donor"),
        max_length=200,
        required=False,
        help_text=_("A person or a body not on the list of organisations."),
    )
    sector = forms.ChoiceField(label=_("Welfare sector"), choices=Organisation.Sector.choices)
    area = AreaChoiceField(label=_("Area"), queryset=Area.objects.none())
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas(areas)  # type: ignore[attr-defined]


class DistributionForm(forms.Form):
    child = ChildChoiceField(label=_("Child"), queryset=Child.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), initial=1)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, children: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children  # type: ignore[attr-defined]
