"""HTML input for the FUC pages. Forms check types only; the rules (a rejection needs its
reasons, a termination date not in the future, one open application per child) are the
services', whose field errors are put back on these forms."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.errors import ValidationFailed
from shouwang.fuc import domain
from shouwang.registry.forms import DateInput


def add_service_errors(form: forms.Form, exc: ValidationFailed) -> None:
    """Put a service's refusal on the form: field errors on their fields, the rest on top."""
    if not exc.field_errors:
        form.add_error(None, str(exc.message))
    for field, messages in exc.field_errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, str(message))


def _text(label: Any, *, required: bool, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApplyForm(forms.Form):
    applicant = forms.ChoiceField(
        label=_("Who applied"), choices=domain.choices(domain.APPLICANT_LABELS)
    )
    note = _text(
        _("Note"),
        required=False,
        help_text=_("For example: the application form was received on paper at the township."),
    )


class VerifyForm(forms.Form):
    note = _text(
        _("How each parent's situation was verified"),
        required=True,
        help_text=_("For example: matched with the disability federation and the police data."),
    )


class ReturnForm(forms.Form):
    note = _text(_("What material is missing"), required=True)


class ConfirmForm(forms.Form):
    note = _text(_("Grounds for confirming"), required=True)


class RejectForm(forms.Form):
    reason = _text(
        _("Reasons for the rejection"),
        required=True,
        help_text=_("The applicant is given these reasons in writing."),
    )


class TerminateForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why the child no longer qualifies"),
        choices=[("", "—"), *domain.choices(domain.TERMINATION_REASON_LABELS)],
    )
    text = _text(_("What changed"), required=False)
    changed_on = forms.DateField(label=_("Date of the change"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"changed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


ACTION_FORMS: dict[domain.Action, type[forms.Form]] = {
    domain.Action.VERIFY: VerifyForm,
    domain.Action.RETURN: ReturnForm,
    domain.Action.CONFIRM: ConfirmForm,
    domain.Action.REJECT: RejectForm,
    domain.Action.TERMINATE: TerminateForm,
}
