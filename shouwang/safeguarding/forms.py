"""HTML input for the safeguarding pages. Forms check types only; the rules (a known child
must be in the reporter's reach, an unknown one needs a description and a place, closing
needs a reason) are the services', whose field errors are put back on these forms."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.errors import ValidationFailed
from shouwang.registry.forms import DateInput
from shouwang.safeguarding import domain


def add_service_errors(form: forms.Form, exc: ValidationFailed) -> None:
    if not exc.field_errors:
        form.add_error(None, str(exc.message))
    for field, messages in exc.field_errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, str(message))


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _text(label: Any, *, required: bool, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


YES_NO = [("", "—"), ("yes", _("Yes: the child is in danger now")), ("no", _("No"))]


class ReportForm(forms.Form):
    child = forms.ChoiceField(
        label=_("Child"),
        required=False,
        help_text=_("Leave empty for a child who is not on the list, and describe the child."),
    )
    child_description = _text(
        _("Description of the child"),
        required=False,
        rows=2,
        help_text=_("Only for a child not on the list: age, sex, clothes, name if known."),
    )
    area = forms.ChoiceField(
        label=_("Village where the child was found"),
        required=False,
        help_text=_("Only for a child not on the list."),
    )
    place = forms.CharField(
        label=_("Where exactly"),
        required=False,
        max_length=300,
        help_text=_("Only for a child not on the list."),
    )
    trigger = forms.ChoiceField(label=_("What kind of concern"))
    immediate_danger = forms.ChoiceField(
        label=_("Is the child in immediate danger?"), choices=YES_NO
    )
    what_seen = _text(_("What you saw or heard"), required=True)
    duty_basis = forms.ChoiceField(
        label=_("Why you report"), choices=domain.choices(domain.DUTY_BASIS_LABELS)
    )

    def __init__(
        self,
        *args: Any,
        children: list[tuple[str, str]],
        villages: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", _("— Not on the list —")), *children]
        self.fields["area"].choices = [("", "—"), *villages]
        self.fields["trigger"].choices = [("", "—"), *domain.grouped_trigger_choices()]


class AcknowledgeForm(forms.Form):
    note = _text(_("Note"), required=False, rows=2, help_text=_("For example: who is going."))


class RespondForm(forms.Form):
    attended_by = _text(_("Who attended"), required=True, rows=2)
    measures = forms.MultipleChoiceField(
        label=_("Immediate measures"),
        required=False,
        choices=domain.choices(domain.MEASURE_LABELS),
        widget=forms.CheckboxSelectMultiple,
    )
    measures_note = _text(_("Measures: details"), required=False, rows=2)
    safety_assessment = _text(_("Safety situation"), required=True)
    guardianship_assessment = _text(_("Guardianship situation"), required=True)
    health_assessment = _text(_("Physical and mental health"), required=True)
    assistance = forms.MultipleChoiceField(
        label=_("Assistance planned"),
        required=False,
        choices=domain.choices(domain.ASSISTANCE_LABELS),
        widget=forms.CheckboxSelectMultiple,
    )
    follow_up_plan = _text(_("Follow-up plan"), required=False)
    intervention_flags = forms.MultipleChoiceField(
        label=_("Guardianship intervention flags"),
        required=False,
        choices=domain.choices(domain.INTERVENTION_LABELS),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "These only suggest that the village committee or the county civil affairs bureau "
            "consider applying to the court. The platform decides nothing."
        ),
    )
    refused_duties_since = forms.DateField(
        label=_("Guardian refuses duties since"), required=False, widget=DateInput()
    )


class CloseForm(forms.Form):
    reason = _text(_("Why the report is closed"), required=True)


class PoliceForm(forms.Form):
    police_station = forms.CharField(label=_("Police station"), max_length=200)
    reported_at = forms.DateTimeField(
        label=_("Time reported to the police"), widget=DateTimeLocalInput()
    )
    receipt_no = forms.CharField(
        label=_("Receipt number"),
        max_length=100,
        required=False,
        help_text=_("The number on the police's receipt (回执), if you were given one."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"reported_at": timezone.localtime().replace(second=0)})
        super().__init__(*args, **kwargs)
