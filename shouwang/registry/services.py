"""Writes to the registry. Every write checks the actor's capability on the village, runs
the registration rules (``registry.domain``), and records an audit event in the same
transaction. Returns warnings (not errors) for the caller to show.
"""

import copy
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import area_grants, require
from shouwang.accounts.models import User
from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor, audit_record
from shouwang.cases.services import case_open
from shouwang.core.errors import ValidationFailed
from shouwang.geo.models import Area
from shouwang.lib.pinyin import full_pinyin, normalise_name, pinyin_initials
from shouwang.registry.domain import (
    PARENT_RELATIONS,
    PARENT_SITUATION_FACTS,
    CaregiverInput,
    ChildInput,
    HouseholdInput,
    ParentInput,
    Registration,
    care_category,
    check_registration,
)
from shouwang.registry.models import (
    CareArrangement,
    Child,
    ChildRelation,
    Household,
    ParentAbsence,
    Person,
)
from shouwang.rules.services import child_classify


@dataclass
class Written:
    child: Child
    warnings: list[str] = field(default_factory=list)


def _today() -> dt.date:
    return timezone.localdate()


def _require_village(actor: User | SystemActor, village: Area) -> Area:
    if village.level.slug != "village":
        raise ValidationFailed(
            _("Children are registered in a village."),
            {"child.village": [_("Please choose a village.")]},
        )
    county = village.ancestor_at("county")
    if county is None:
        raise ValidationFailed(_("This village is not inside a county."))
    return county


def _validate(reg: Registration, *, county: Area, exclude: Child | None = None) -> list[str]:
    checked = check_registration(reg, today=_today())
    if checked.id_number:
        reg.child.id_number = checked.id_number
        duplicates = Child.objects.filter(county=county, id_number=checked.id_number)
        if exclude is not None:
            duplicates = duplicates.exclude(pk=exclude.pk)
        if duplicates.exists():
            checked.add(
                "child.id_number",
                _("A child with this ID number is already registered in this county."),
            )
    if checked.errors:
        raise ValidationFailed(_("Please correct the errors below."), checked.errors)
    return checked.warnings


def _name_keys(name: str) -> dict[str, str]:
    clean = normalise_name(name)
    return {
        "name": clean,
        "name_pinyin": full_pinyin(clean),
        "name_initials": pinyin_initials(clean),
    }


def _apply_child(child: Child, data: ChildInput) -> None:
    for attr, value in _name_keys(data.name).items():
        setattr(child, attr, value)
    for attr in (
        "sex",
        "birth_date",
        "hukou_type",
        "school_stage",
        "health_status",
        "id_number",
        "ethnicity",
        "residence_address",
        "school",
        "grade",
        "boarding",
        "disability_type",
        "disability_grade",
        "confirmed_by_guardian",
        "notes",
        "lives_alone",
        "left_unattended",
        "needs_special_care",
        "poverty_hardship",
        "safety_concerns",
    ):
        setattr(child, attr, getattr(data, attr))


def _apply_household(household: Household, data: HouseholdInput) -> None:
    for attr in ("address", "main_income_source", "dibao", "tekun", "poverty_registered"):
        setattr(household, attr, getattr(data, attr))


def child_registration_check(
    *, actor: User | SystemActor, village: Area, registration: Registration
) -> list[str]:
    """Everything ``child_register`` would refuse, without writing: raises
    ``ValidationFailed`` or returns the warnings (so a page can show a likely duplicate only
    for a registration that is otherwise valid)."""
    if isinstance(actor, User):
        require(actor, Cap.REGISTER_CHILD)
        if not _village_in_scope(actor, village):
            raise ValidationFailed(
                _("You cannot register children in this village."),
                {"child.village": [_("Please choose a village in your area.")]},
            )
    county = _require_village(actor, village)
    return _validate(copy.deepcopy(registration), county=county)


@transaction.atomic
def child_register(
    *, actor: User | SystemActor, village: Area, registration: Registration
) -> Written:
    """Register a child with her household, parents and day-to-day caregiver."""
    if isinstance(actor, User):
        require(actor, Cap.REGISTER_CHILD)
        if not _village_in_scope(actor, village):
            raise ValidationFailed(
                _("You cannot register children in this village."),
                {"child.village": [_("Please choose a village in your area.")]},
            )
    county = _require_village(actor, village)
    warnings = _validate(registration, county=county)

    household = Household(village=village)
    _apply_household(household, registration.household)
    household.save()

    child = Child(village=village, county=county, household=household)
    _apply_child(child, registration.child)
    child.registered_by = actor if isinstance(actor, User) else None
    child.last_verified_on = _today()
    child.save()

    _write_family(child, registration, changed=[])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHILD_REGISTERED,
        target=child,
        area=village,
        extra={"warnings": warnings},
    )
    child_classify(actor=actor, child=child)
    case_open(actor=actor, child=child)  # every registered child has a case (issue 4)
    return Written(child=child, warnings=warnings)


@transaction.atomic
def child_update(*, actor: User, child: Child, registration: Registration) -> Written:
    """Correct or update a registered child. Periods away and care arrangements that changed
    are closed and new ones started, so their history is kept."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    require(actor, Cap.CHANGE_CHILD, child)
    warnings = _validate(registration, county=child.county, exclude=child)

    before = _snapshot(child)
    _apply_household(child.household, registration.household)
    child.household.save()
    _apply_child(child, registration.child)
    child.last_verified_on = _today()
    child.save()
    changed: list[str] = []
    _write_family(child, registration, changed=changed)
    after = _snapshot(child)
    changed.extend(k for k in after if before.get(k) != after[k])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHILD_UPDATED,
        target=child,
        area=child.village,
        extra={"changed": sorted(set(changed)), "warnings": warnings},
    )
    child_classify(actor=actor, child=child)
    return Written(child=child, warnings=warnings)


def _village_in_scope(actor: User, village: Area) -> bool:
    return any(village.is_within(area) for area in area_grants(actor, Cap.REGISTER_CHILD))


def _snapshot(obj: Child | Person) -> dict[str, object]:
    """The record's stored values, to tell what an update changed."""
    skip = {"updated_at", "created_at"}
    return {
        f.attname: getattr(obj, f.attname)
        for f in type(obj)._meta.concrete_fields
        if f.name not in skip
    }


def _write_family(child: Child, reg: Registration, *, changed: list[str]) -> None:
    parents: dict[str, Person] = {}
    for relation, data in (("father", reg.father), ("mother", reg.mother)):
        parents[relation] = _write_parent(child, relation, data, changed=changed)
    _write_care(child, reg.caregiver, category=care_category(reg), parents=parents, changed=changed)


def _relation(child: Child, relation: str) -> ChildRelation | None:
    return (
        ChildRelation.objects.select_related("person")
        .filter(child=child, relation=relation)
        .first()
    )


def _write_parent(child: Child, relation: str, data: ParentInput, *, changed: list[str]) -> Person:
    link = _relation(child, relation)
    person = link.person if link else Person(household=child.household)
    before = _snapshot(person)
    for attr, value in _name_keys(data.name).items():
        setattr(person, attr, value)
    person.sex = "male" if relation == "father" else "female"
    person.phone = data.phone
    person.birth_year = data.birth_year
    person.situation = data.situation
    person.lacks_guardianship_capacity = data.lacks_guardianship_capacity
    person.incapacity_reason = data.incapacity_reason if data.lacks_guardianship_capacity else ""
    for attr in PARENT_SITUATION_FACTS:
        setattr(person, attr, getattr(data, attr))
    person.save()
    if link is None:
        ChildRelation.objects.create(child=child, person=person, relation=relation)
    elif before != _snapshot(person):
        changed.append(relation)

    current = ParentAbsence.objects.filter(person=person, ended_on__isnull=True).first()
    if data.situation == "working_away":
        assert data.away_since is not None  # checked by registry.domain  # noqa: S101
        same = current is not None and (current.work_place, current.since) == (
            data.work_place.strip(),
            data.away_since,
        )
        if current is not None and same:
            current.return_pattern = data.return_pattern
            current.contact_channel = data.contact_channel
            current.save(update_fields=["return_pattern", "contact_channel"])
        else:
            if current is not None:
                current.ended_on = data.away_since
                current.save(update_fields=["ended_on"])
            ParentAbsence.objects.create(
                person=person,
                work_place=data.work_place.strip(),
                since=data.away_since,
                return_pattern=data.return_pattern,
                contact_channel=data.contact_channel,
            )
            changed.append(f"{relation}.absence")
    elif current is not None:
        current.ended_on = _today()
        current.save(update_fields=["ended_on"])
        changed.append(f"{relation}.absence")
    return person


def _write_care(
    child: Child,
    data: CaregiverInput,
    *,
    category: str,
    parents: dict[str, Person],
    changed: list[str],
) -> None:
    current = (
        CareArrangement.objects.select_related("caregiver")
        .filter(child=child, ended_on__isnull=True)
        .first()
    )
    caregiver: Person | None
    if data.relation == "none":
        caregiver = None
    elif data.relation in PARENT_RELATIONS:
        caregiver = parents[data.relation]
    else:
        caregiver = _write_carer_person(child, data, current)

    if (
        current is not None
        and current.caregiver_id == (caregiver.pk if caregiver else None)
        and (current.category == category)
    ):
        current.since = data.since
        current.has_care_capacity = data.has_care_capacity
        current.notice_to_school_on = data.notice_to_school_on
        current.notice_to_village_on = data.notice_to_village_on
        _apply_checks(current, data)
        current.save()
        return
    if current is not None:
        current.ended_on = _today()
        current.save(update_fields=["ended_on"])
        changed.append("care_arrangement")
    arrangement = CareArrangement(
        child=child,
        caregiver=caregiver,
        category=category,
        since=data.since,
        has_care_capacity=data.has_care_capacity,
        notice_to_school_on=data.notice_to_school_on,
        notice_to_village_on=data.notice_to_village_on,
    )
    _apply_checks(arrangement, data)
    arrangement.save()


def _apply_checks(arrangement: CareArrangement, data: CaregiverInput) -> None:
    """The entrusted-carer checks of 未成年人保护法 Art. 22, as recorded."""
    arrangement.disqualifiers_checked = data.disqualifiers_checked or bool(data.disqualifiers)
    arrangement.disqualifiers = list(data.disqualifiers)
    arrangement.child_views_heard = data.child_views_heard


def _write_carer_person(
    child: Child, data: CaregiverInput, current: CareArrangement | None
) -> Person:
    keys = _name_keys(data.name)
    existing = (
        current.caregiver
        if current is not None
        and current.caregiver is not None
        and current.caregiver.name == keys["name"]
        else None
    )
    person = existing or Person(household=child.household)
    for attr, value in keys.items():
        setattr(person, attr, value)
    person.sex = data.sex
    person.birth_year = data.birth_year
    person.phone = data.phone
    person.health = data.health
    person.literacy = data.literacy
    person.self_supporting = data.self_supporting
    person.infectious_disease = data.infectious_disease
    person.situation = Person.Situation.AT_HOME
    person.save()
    ChildRelation.objects.update_or_create(
        child=child, person=person, defaults={"relation": data.relation}
    )
    return person


@transaction.atomic
def child_record_view(*, actor: User, child: Child) -> None:
    """Record that ``actor`` opened a child's file (PIPL Art. 28: reads of a minor's data
    are audited like writes)."""
    audit_record(
        actor=actor, action=AuditEvent.Action.CHILD_VIEWED, target=child, area=child.village
    )
