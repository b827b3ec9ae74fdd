from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Organisation, User
from shouwang.cases.models import Case, ContactLog, Domain, RiskLevel, Visit
from shouwang.registry.forms import DateInput
from shouwang.registry.models import Person


class ContactLogForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("Parent"), queryset=Person.objects.none())
    contacted_on = forms.DateField(label=_("Date of contact"), widget=DateInput())
    channel = forms.ChoiceField(label=_("How"), choices=ContactLog.Channel.choices)
    with_child = forms.BooleanField(label=_("Talked with the child"), required=False, initial=True)
    with_caregiver = forms.BooleanField(
        label=_("Talked with the caregiver"), required=False, initial=True
    )
    source = forms.ChoiceField(label=_("Reported by"), choices=ContactLog.Source.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"contacted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices)
    visited_on = forms.DateField(label=_("Date"), widget=DateInput())
    saw_child = forms.BooleanField(label=_("Saw the child"), required=False, initial=True)
    saw_caregiver = forms.BooleanField(label=_("Saw the caregiver"), required=False, initial=True)
    spoke_to_parent = forms.BooleanField(label=_("Spoke to a parent"), required=False)
    concerns = forms.MultipleChoiceField(
        label=_("Concerns"),
        choices=Visit.Concern.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_steps = forms.CharField(label=_("Next steps"), max_length=300, required=False)
    risk_after = forms.ChoiceField(
        label=_("Risk level now"),
        choices=[("", _("Unchanged")), *RiskLevel.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"visited_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        for value, label in Domain.choices:
            self.fields[f"obs_{value}"] = forms.CharField(
                label=label,
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def observation_fields(self) -> list[forms.BoundField]:
        return [self[f"obs_{value}"] for value, _label in Domain.choices]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("obs_")]

    def observations(self) -> dict[str, str]:
        return {
            value: self.cleaned_data.get(f"obs_{value}", "") for value, _label in Domain.choices
        }


class CaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=User.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    close_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "—"), *Case.CloseReason.choices],
        required=False,
    )
    close_note = forms.CharField(label=_("Note on closing"), max_length=200, required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}))
    review_due_on = forms.DateField(label=_("Review on"), required=False, widget=DateInput())


class ActionForm(forms.Form):
    domain = forms.ChoiceField(
        label=_("Domain"), choices=[("", "—"), *Domain.choices], required=False
    )
    description = forms.CharField(label=_("What will be done"), max_length=200, required=False)
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none(), required=False
    )
    owner_user = forms.ModelChoiceField(
        label=_("Owner person"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, organisations: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["owner_user"].queryset = people  # type: ignore[attr-defined]

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("description") or data.get("domain") or data.get("due_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank():
            return data
        for name in ("domain", "description", "due_on"):
            if not data.get(name):
                self.add_error(name, _("This field is required."))
        if not data.get("owner_organisation") and not data.get("owner_user"):
            self.add_error(
                "owner_organisation", _("Every action needs an owner: an organisation or a person.")
            )
        return data


PlanActionFormSet = forms.formset_factory(ActionForm, extra=0, max_num=10)
