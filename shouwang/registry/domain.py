"""Pure rules for registry input: what a registration must satisfy before it is written.

No ORM here: these functions take plain values and return field errors, so the web form,
a future API and the spreadsheet import all get the same answers, and the rules are
tested without a database. Keys are "<section>.<field>" (``child.birth_date``).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from shouwang.lib.dates import full_years
from shouwang.lib.idcard import check_id_number

if TYPE_CHECKING:
    from shouwang.accounts.models import Organisation

MAX_CHILD_AGE = 17  # a minor is under 18 (未成年人保护法 Art. 2)
OLDEST_PLAUSIBLE_BIRTH_YEAR = 1900


@dataclass
class ChildInput:
    name: str
    sex: str
    birth_date: dt.date
    hukou_type: str
    school_stage: str
    health_status: str
    id_number: str = ""
    ethnicity: str = ""
    residence_address: str = ""
    school: "Organisation | None" = None
    grade: str = ""
    boarding: bool = False
    disability_type: str = ""
    disability_grade: int | None = None
    confirmed_by_guardian: bool = False
    notes: str = ""
    lives_alone: bool = False
    left_unattended: bool = False
    needs_special_care: bool = False
    poverty_hardship: bool = False
    safety_concerns: list[str] = field(default_factory=list)


@dataclass
class HouseholdInput:
    address: str = ""
    main_income_source: str = ""
    dibao: bool = False
    tekun: bool = False
    poverty_registered: bool = False


@dataclass
class ParentInput:
    situation: str
    name: str = ""
    phone: str = ""
    birth_year: int | None = None
    work_place: str = ""
    away_since: dt.date | None = None
    return_pattern: str = ""
    contact_channel: str = ""
    lacks_guardianship_capacity: bool = False
    incapacity_reason: str = ""
    disability_grade: int | None = None
    disability_type: str = ""
    serious_illness_listed: bool | None = None
    restriction: str = ""
    restriction_term_months: int | None = None
    restriction_started_on: dt.date | None = None
    lost_contact_police_accepted_on: dt.date | None = None
    declared_missing: bool = False
    guardianship_revoked: bool = False
    deported: bool = False


# A parent's situations that the de facto unsupported child rules read (DOMAIN.md §3),
# shared by the form, the service and the edit page's starting values.
PARENT_SITUATION_FACTS = (
    "disability_grade",
    "disability_type",
    "serious_illness_listed",
    "restriction",
    "restriction_term_months",
    "restriction_started_on",
    "lost_contact_police_accepted_on",
    "declared_missing",
    "guardianship_revoked",
    "deported",
)


@dataclass
class CaregiverInput:
    relation: str  # a ChildRelation.Relation value, or "none" when nobody cares for the child
    name: str = ""
    sex: str = ""
    birth_year: int | None = None
    phone: str = ""
    health: str = "good"
    literacy: str = ""
    since: dt.date | None = None
    has_care_capacity: bool = True
    notice_to_school_on: dt.date | None = None
    notice_to_village_on: dt.date | None = None
    self_supporting: bool | None = None
    infectious_disease: bool | None = None
    disqualifiers_checked: bool = False
    disqualifiers: list[str] = field(default_factory=list)
    child_views_heard: bool | None = None


@dataclass
class Registration:
    child: ChildInput
    household: HouseholdInput
    father: ParentInput
    mother: ParentInput
    caregiver: CaregiverInput


@dataclass
class Checked:
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    id_number: str = ""

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


PARENT_RELATIONS = {"father", "mother"}
GRANDPARENT_RELATIONS = {
    "paternal_grandfather",
    "paternal_grandmother",
    "maternal_grandfather",
    "maternal_grandmother",
}


def check_registration(reg: Registration, *, today: dt.date) -> Checked:
    """Every rule a registration must pass; an empty ``errors`` means it may be written."""
    result = Checked()
    _check_child(reg.child, today, result)
    for key, parent in (("father", reg.father), ("mother", reg.mother)):
        _check_parent(key, parent, today, result)
    _check_caregiver(reg, today, result)
    return result


def _check_child(child: ChildInput, today: dt.date, result: Checked) -> None:
    if not child.name.strip():
        result.add("child.name", _("Please enter the child's name."))
    if child.birth_date > today:
        result.add("child.birth_date", _("The date of birth cannot be in the future."))
    elif full_years(child.birth_date, today) > MAX_CHILD_AGE:
        result.add("child.birth_date", _("A child registered here must be under 18."))
    if child.disability_grade is not None and child.health_status != "disabled":
        result.add(
            "child.disability_grade", _("A disability grade is only given for a disabled child.")
        )
    if child.id_number.strip():
        checked = check_id_number(
            child.id_number,
            today=today,
            birth_date=child.birth_date,
            sex=child.sex,
            max_age=MAX_CHILD_AGE,
        )
        for message in checked.errors:
            result.add("child.id_number", message)
        result.warnings.extend(checked.warnings)
        result.id_number = checked.number


def _check_parent(key: str, parent: ParentInput, today: dt.date, result: Checked) -> None:
    if parent.situation == "working_away":
        if not parent.work_place.strip():
            result.add(f"{key}.work_place", _("Please enter where the parent works."))
        if parent.away_since is None:
            result.add(f"{key}.away_since", _("Please enter when the parent left."))
    if parent.away_since is not None and parent.away_since > today:
        result.add(f"{key}.away_since", _("This date cannot be in the future."))
    if parent.situation in {"at_home", "working_away"} and not parent.name.strip():
        result.add(f"{key}.name", _("Please enter the parent's name."))
    if parent.lacks_guardianship_capacity and not parent.incapacity_reason:
        result.add(f"{key}.incapacity_reason", _("Please give the reason."))
    if parent.restriction and parent.restriction_term_months is None:
        result.add(f"{key}.restriction_term_months", _("Please give the length of the term."))
    for field_name in ("restriction_started_on", "lost_contact_police_accepted_on"):
        value = getattr(parent, field_name)
        if value is not None and value > today:
            result.add(f"{key}.{field_name}", _("This date cannot be in the future."))
    _check_birth_year(f"{key}.birth_year", parent.birth_year, today, result)


def _check_caregiver(reg: Registration, today: dt.date, result: Checked) -> None:
    carer = reg.caregiver
    if carer.relation == "none":
        return
    if carer.relation in PARENT_RELATIONS:
        parent = reg.father if carer.relation == "father" else reg.mother
        if parent.situation != "at_home":
            result.add(
                "caregiver.relation",
                _("A parent can be the day-to-day caregiver only when at home."),
            )
    elif not carer.name.strip():
        result.add("caregiver.name", _("Please enter the caregiver's name."))
    if carer.since is not None and carer.since > today:
        result.add("caregiver.since", _("This date cannot be in the future."))
    for field_name in ("notice_to_school_on", "notice_to_village_on"):
        value = getattr(carer, field_name)
        if value is not None and value > today:
            result.add(f"caregiver.{field_name}", _("This date cannot be in the future."))
    if carer.disqualifiers and not carer.disqualifiers_checked:
        carer.disqualifiers_checked = True  # ticking a disqualification is checking them
    _check_birth_year("caregiver.birth_year", carer.birth_year, today, result)


def _check_birth_year(key: str, year: int | None, today: dt.date, result: Checked) -> None:
    if year is not None and not OLDEST_PLAUSIBLE_BIRTH_YEAR <= year <= today.year:
        result.add(
            key,
            _("Please enter a year between %(oldest)d and this year.")
            % {"oldest": OLDEST_PLAUSIBLE_BIRTH_YEAR},
        )


def care_category(reg: Registration) -> str:
    """The care arrangement category (DOMAIN.md §1.2) implied by who cares for the child."""
    relation = reg.caregiver.relation
    if relation == "none":
        return "no_guardian"
    if relation in PARENT_RELATIONS:
        parent = reg.father if relation == "father" else reg.mother
        return "parent_at_home_incapable" if parent.lacks_guardianship_capacity else "parent"
    if relation in GRANDPARENT_RELATIONS:
        return "grandparents"
    return "other_relative_or_friend"
