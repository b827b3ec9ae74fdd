"""HTML input for the assessment pages. The questions themselves are not a Django form:
they come from the instrument (data) and are rendered by ``views._sections``; the rules
(required answers, a date not in the future, a note to override or return) are the
services', whose field errors are put back on the page."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.assessments.models import Assessment
from shouwang.registry.forms import DateInput


class AssessedOnForm(forms.Form):
    # Not required here: the service gives the one message for a missing date.
    assessed_on = forms.DateField(
        label=_("Date of the assessment"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


def _note(label: Any, *, required: bool, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApproveForm(forms.Form):
    risk_level = forms.ChoiceField(
        label=_("Risk level you decide"),
        choices=Assessment.RiskLevel.choices,
        help_text=_("The suggestion is preselected. A different level needs a note."),
    )
    note = _note(_("Note"), required=False)


class ReturnForm(forms.Form):
    note = _note(
        _("What should be checked or done again"),
        required=True,
        help_text=_("The child director sees this note and records a new assessment."),
    )
