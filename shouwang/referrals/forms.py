"""HTML input for the referral pages. Forms check types only; the rules (the organisation
must offer the service where the child lives, a decline needs a reason, completing needs a
delivery) are the services', whose field errors are put back on these forms."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.registry.forms import DateInput


class ReferralForm(forms.Form):
    service_type = forms.ChoiceField(label=_("Service"))
    to_organisation = forms.ChoiceField(
        label=_("Refer to"),
        help_text=_("Organisations that offer services where the child lives."),
    )
    need = forms.CharField(
        label=_("What the child needs"),
        max_length=300,
        required=False,  # the service says what is missing
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what the organisation needs to decide. It sees this before accepting."),
    )
    plan_action = forms.ChoiceField(label=_("Plan action it fulfils"), required=False)

    def __init__(
        self,
        *args: Any,
        services: list[tuple[str, str]],
        organisations: list[tuple[str, str]],
        plan_actions: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_type"].choices = [("", "—"), *services]
        self.fields["to_organisation"].choices = [("", "—"), *organisations]
        self.fields["plan_action"].choices = [("", "—"), *plan_actions]


class StepForm(forms.Form):
    """A step on a referral, with the version the user saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DeclineForm(StepForm):
    reason = forms.CharField(
        label=_("Why you decline"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CompleteForm(StepForm):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the service achieved for the child, and what should happen next."),
    )


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Date"), widget=DateInput())
    duration_minutes = forms.IntegerField(label=_("How long (minutes)"), min_value=0)
    notes = forms.CharField(
        label=_("Notes"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate(), "duration_minutes": 60})
        super().__init__(*args, **kwargs)
