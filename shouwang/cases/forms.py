from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.cases.models import ContactLog
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
