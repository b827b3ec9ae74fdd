"""HTML input for registering and editing a child: one page, five sections.

Forms only parse and check field types; the registration rules (future dates, ID numbers,
who may be a caregiver) live in ``registry.domain`` and are applied by the services, whose
field errors are put back on these forms (``RegistrationForms.add_errors``).
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Organisation
from shouwang.core.errors import ValidationFailed
from shouwang.geo.models import Area
from shouwang.registry.domain import (
    PARENT_SITUATION_FACTS,
    CaregiverInput,
    ChildInput,
    HouseholdInput,
    ParentInput,
    Registration,
)
from shouwang.registry.models import (
    CareArrangement,
    Child,
    ChildRelation,
    Household,
    HukouType,
    ParentAbsence,
    Person,
    Sex,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:  # type: ignore[override]
        parent = obj.parent.display_name if obj.parent else ""
        return f"{parent} · {obj.display_name}" if parent else obj.display_name


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


YES_NO_UNKNOWN = [("", _("Not known")), ("true", _("Yes")), ("false", _("No"))]


def _tristate(label: Any) -> forms.TypedChoiceField:
    """Yes / No / not known: a fact the rules need, where "not asked" is not "no"."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_UNKNOWN,
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
    )


class SectionForm(forms.Form):
    """A section of the registration page; ``advanced`` fields are shown folded away."""

    advanced: tuple[str, ...] = ()
    advanced_label: Any = _("More")

    def basic_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.advanced]

    def advanced_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name in self.advanced]

    def advanced_has_errors(self) -> bool:
        return any(self[name].errors for name in self.advanced if name in self.fields)


class ChildForm(SectionForm):
    village = VillageChoiceField(label=_("Village"), queryset=Area.objects.none())
    name = forms.CharField(label=_("Name"), max_length=50)
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices))
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=20,
        required=False,
        help_text=_("Optional. 18 characters; the last may be X."),
    )
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, required=False, initial="汉族")
    hukou_type = forms.ChoiceField(
        label=_("Household registration"), choices=HukouType.choices, initial=HukouType.RURAL
    )
    residence_address = forms.CharField(
        label=_("Where the child lives"), max_length=200, required=False
    )
    school_stage = forms.ChoiceField(label=_("Schooling"), choices=Child.SchoolStage.choices)
    school = forms.ModelChoiceField(
        label=_("School"), queryset=Organisation.objects.none(), required=False
    )
    grade = forms.CharField(label=_("Grade"), max_length=20, required=False)
    boarding = forms.BooleanField(label=_("Boards at school"), required=False)
    health_status = forms.ChoiceField(label=_("Health"), choices=Child.HealthStatus.choices)
    disability_type = forms.CharField(label=_("Type of disability"), max_length=50, required=False)
    disability_grade = forms.TypedChoiceField(
        label=_("Disability grade"),
        choices=_blank([(str(g), str(g)) for g in range(1, 5)]),
        coerce=int,
        empty_value=None,
        required=False,
    )
    confirmed_by_guardian = forms.BooleanField(
        label=_("The parents or caregiver have confirmed this record"), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    needs_special_care = forms.BooleanField(
        label=_("Needs special care for physical or psychological reasons"), required=False
    )
    poverty_hardship = forms.BooleanField(
        label=_("Poverty makes living, medical care or schooling difficult"), required=False
    )
    lives_alone = forms.BooleanField(label=_("Lives alone, without a guardian"), required=False)
    left_unattended = forms.BooleanField(
        label=_("Left without anyone looking after the child"), required=False
    )
    safety_concerns = forms.MultipleChoiceField(
        label=_("Safety concerns"),
        choices=Child.SafetyConcern.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    advanced = (
        "needs_special_care",
        "poverty_hardship",
        "lives_alone",
        "left_unattended",
        "safety_concerns",
    )
    advanced_label = _("Special circumstances")

    def __init__(
        self,
        *args: Any,
        villages: QuerySet[Area],
        schools: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        village_field = self.fields["village"]
        assert isinstance(village_field, forms.ModelChoiceField)  # noqa: S101
        village_field.queryset = villages
        if villages.count() == 1:
            village_field.initial = villages.first()
        school_field = self.fields["school"]
        assert isinstance(school_field, forms.ModelChoiceField)  # noqa: S101
        school_field.queryset = schools


class HouseholdForm(SectionForm):
    address = forms.CharField(label=_("Household address"), max_length=200, required=False)
    main_income_source = forms.ChoiceField(
        label=_("Main source of income"),
        choices=_blank(Household.IncomeSource.choices),
        required=False,
    )
    dibao = forms.BooleanField(label=_("On minimum living allowance (低保)"), required=False)
    tekun = forms.BooleanField(label=_("In extreme-poverty support (特困)"), required=False)
    poverty_registered = forms.BooleanField(
        label=_("Registered poor household (建档立卡)"), required=False
    )


class ParentForm(SectionForm):
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    situation = forms.ChoiceField(label=_("Situation"), choices=Person.Situation.choices)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False)
    work_place = forms.CharField(
        label=_("Where working"),
        max_length=100,
        required=False,
        help_text=_("Province and city, e.g. 广东省东莞市."),
    )
    away_since = forms.DateField(label=_("Away since"), required=False, widget=DateInput())
    return_pattern = forms.ChoiceField(
        label=_("Comes home"), choices=_blank(ParentAbsence.ReturnPattern.choices), required=False
    )
    contact_channel = forms.CharField(
        label=_("How to reach while away"),
        max_length=100,
        required=False,
        help_text=_("Phone, WeChat or another way."),
    )
    lacks_guardianship_capacity = forms.BooleanField(
        label=_("Lacks guardianship capacity"), required=False
    )
    incapacity_reason = forms.ChoiceField(
        label=_("Reason"), choices=_blank(Person.IncapacityReason.choices), required=False
    )
    disability_grade = forms.TypedChoiceField(
        label=_("Disability grade"),
        choices=_blank([(str(g), str(g)) for g in range(1, 5)]),
        coerce=int,
        empty_value=None,
        required=False,
    )
    disability_type = forms.ChoiceField(
        label=_("Type of disability"),
        choices=_blank(Person.DisabilityType.choices),
        required=False,
    )
    serious_illness_listed = _tristate(_("Illness on the county's serious-illness list"))
    restriction = forms.ChoiceField(
        label=_("Restriction of liberty"),
        choices=_blank(Person.Restriction.choices),
        required=False,
    )
    restriction_term_months = forms.IntegerField(
        label=_("Term (months)"), required=False, min_value=0, max_value=1200
    )
    restriction_started_on = forms.DateField(
        label=_("Restriction started on"), required=False, widget=DateInput()
    )
    lost_contact_police_accepted_on = forms.DateField(
        label=_("Lost contact: police accepted the report on"),
        required=False,
        widget=DateInput(),
    )
    declared_missing = forms.BooleanField(label=_("Declared missing by a court"), required=False)
    guardianship_revoked = forms.BooleanField(
        label=_("Guardianship revoked by a court"), required=False
    )
    deported = forms.BooleanField(label=_("Deported"), required=False)

    advanced = PARENT_SITUATION_FACTS
    advanced_label = _("Disability, illness, detention, lost contact")


CAREGIVER_RELATIONS = [
    *[(value, label) for value, label in ChildRelation.Relation.choices],
    ("none", _("Nobody: the child lives alone or unattended")),
]


class CaregiverForm(SectionForm):
    relation = forms.ChoiceField(
        label=_("Who cares for the child day to day"), choices=_blank(CAREGIVER_RELATIONS)
    )
    name = forms.CharField(
        label=_("Caregiver's name"),
        max_length=50,
        required=False,
        help_text=_("Not needed when a parent is the caregiver."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices), required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    health = forms.ChoiceField(label=_("Health"), choices=Person.Health.choices, initial="good")
    literacy = forms.ChoiceField(
        label=_("Literacy"), choices=_blank(Person.Literacy.choices), required=False
    )
    since = forms.DateField(label=_("Caring since"), required=False, widget=DateInput())
    has_care_capacity = forms.BooleanField(
        label=_("Able to provide care"), required=False, initial=True
    )
    notice_to_school_on = forms.DateField(
        label=_("Parents' written notice to the school on"), required=False, widget=DateInput()
    )
    notice_to_village_on = forms.DateField(
        label=_("Parents' written notice to the village committee on"),
        required=False,
        widget=DateInput(),
    )
    self_supporting = _tristate(_("Lives mainly on own labour income (if aged 16 or 17)"))
    infectious_disease = _tristate(_("Has a serious infectious disease"))
    disqualifiers_checked = forms.BooleanField(
        label=_("The disqualifications below were asked about"), required=False
    )
    disqualifiers = forms.MultipleChoiceField(
        label=_("Disqualifications found"),
        choices=CareArrangement.Disqualifier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    child_views_heard = _tristate(_("The child's views were heard"))

    advanced = (
        "notice_to_school_on",
        "notice_to_village_on",
        "self_supporting",
        "infectious_disease",
        "disqualifiers_checked",
        "disqualifiers",
        "child_views_heard",
    )
    advanced_label = _("Entrusted care: checks and written notices")


SECTIONS = ("child", "household", "father", "mother", "caregiver")


class RegistrationForms:
    """The five section forms of the register/edit page, handled as one."""

    def __init__(
        self,
        data: QueryDict | None,
        *,
        villages: QuerySet[Area],
        schools: QuerySet[Organisation],
        initial: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        init = initial or {}
        self.child = ChildForm(
            data, prefix="child", villages=villages, schools=schools, initial=init.get("child")
        )
        self.household = HouseholdForm(data, prefix="household", initial=init.get("household"))
        self.father = ParentForm(
            data,
            prefix="father",
            initial=init.get("father", {"situation": Person.Situation.WORKING_AWAY}),
        )
        self.mother = ParentForm(
            data,
            prefix="mother",
            initial=init.get("mother", {"situation": Person.Situation.WORKING_AWAY}),
        )
        self.caregiver = CaregiverForm(data, prefix="caregiver", initial=init.get("caregiver"))

    @property
    def forms(self) -> list[forms.Form]:
        return [getattr(self, name) for name in SECTIONS]

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.forms]  # every form, to show all errors
        return all(results)

    def village(self) -> Area:
        village: Area = self.child.cleaned_data["village"]
        return village

    def registration(self) -> Registration:
        c = dict(self.child.cleaned_data)
        c.pop("village")
        return Registration(
            child=ChildInput(**c),
            household=HouseholdInput(**self.household.cleaned_data),
            father=ParentInput(**self.father.cleaned_data),
            mother=ParentInput(**self.mother.cleaned_data),
            caregiver=CaregiverInput(**self.caregiver.cleaned_data),
        )

    def add_errors(self, error: ValidationFailed) -> None:
        for key, messages in error.field_errors.items():
            section, _sep, field_name = key.partition(".")
            form = getattr(self, section, None) if section in SECTIONS else None
            target = field_name if form is not None and field_name in form.fields else None
            for message in messages:
                (form or self.child).add_error(target, str(message))


def initial_from_child(child: Child) -> dict[str, dict[str, Any]]:
    """The edit page's starting values, from a profile loaded by ``child_profile``."""
    child_fields = [
        "name",
        "sex",
        "birth_date",
        "id_number",
        "ethnicity",
        "hukou_type",
        "residence_address",
        "school_stage",
        "grade",
        "boarding",
        "health_status",
        "disability_type",
        "disability_grade",
        "confirmed_by_guardian",
        "notes",
        "lives_alone",
        "left_unattended",
        "needs_special_care",
        "poverty_hardship",
        "safety_concerns",
    ]
    initial: dict[str, dict[str, Any]] = {
        "child": {name: getattr(child, name) for name in child_fields}
        | {"village": child.village, "school": child.school},
        "household": {
            name: getattr(child.household, name)
            for name in ("address", "main_income_source", "dibao", "tekun", "poverty_registered")
        },
    }
    relations = {r.relation: r for r in child.relations.all()}
    for key in ("father", "mother"):
        rel = relations.get(key)
        if rel is None:
            initial[key] = {"situation": Person.Situation.UNKNOWN}
            continue
        p = rel.person
        absence = p.current_absence
        initial[key] = {
            "name": p.name,
            "situation": p.situation,
            "phone": p.phone,
            "birth_year": p.birth_year,
            "lacks_guardianship_capacity": p.lacks_guardianship_capacity,
            "incapacity_reason": p.incapacity_reason,
            **{name: getattr(p, name) for name in PARENT_SITUATION_FACTS},
            "serious_illness_listed": _tri(p.serious_illness_listed),
            "work_place": absence.work_place if absence else "",
            "away_since": absence.since if absence else None,
            "return_pattern": absence.return_pattern if absence else "",
            "contact_channel": absence.contact_channel if absence else "",
        }
    care: CareArrangement | None = next(
        (c for c in child.care_arrangements.all() if c.ended_on is None), None
    )
    if care is not None:
        carer = care.caregiver
        relation = "none"
        if carer is not None:
            rel = next((r for r in child.relations.all() if r.person_id == carer.pk), None)
            relation = rel.relation if rel else ChildRelation.Relation.OTHER_RELATIVE
        initial["caregiver"] = {
            "relation": relation,
            "since": care.since,
            "has_care_capacity": care.has_care_capacity,
            "notice_to_school_on": care.notice_to_school_on,
            "notice_to_village_on": care.notice_to_village_on,
            "disqualifiers_checked": care.disqualifiers_checked,
            "disqualifiers": care.disqualifiers,
            "child_views_heard": _tri(care.child_views_heard),
        }
        if carer is not None and relation not in ("father", "mother"):
            initial["caregiver"] |= {
                "name": carer.name,
                "sex": carer.sex,
                "birth_year": carer.birth_year,
                "phone": carer.phone,
                "health": carer.health,
                "literacy": carer.literacy,
                "self_supporting": _tri(carer.self_supporting),
                "infectious_disease": _tri(carer.infectious_disease),
            }
    return initial


def _tri(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")
