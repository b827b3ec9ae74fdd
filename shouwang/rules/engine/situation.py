"""The plain input every rule reads: a child's situation on one date.

``None`` always means *not known* (distinct from ``False``). A rule that needs a fact that is
``None`` answers "cannot determine" and names the fact; it never turns "not known" into "no".
Tuples (``disqualifiers``, ``safety_concerns``) list what was recorded; an empty tuple means
nothing was recorded.

The vocabularies are the registry's stored values (``Person.Situation``,
``ChildRelation.Relation``, ``CareArrangement.Category`` and so on), repeated here as plain
strings so that this module imports no ORM.

``situation_from_json`` reads the JSON form used by ``shouwang rules evaluate`` (dates as
``YYYY-MM-DD``; an omitted field is ``null``, i.e. not known) and raises ``SituationError``
listing every bad field at once.
"""

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

PARENT_SITUATIONS = (
    "at_home",
    "working_away",
    "deceased",
    "missing",
    "divorced_absent",
    "other_absent",
    "unknown",  # recorded as unknown: treated exactly like None
)
INCAPACITY_REASONS = ("severe_illness", "severe_disability", "other")
DISABILITY_TYPES = (
    "physical",
    "visual",
    "hearing",
    "speech",
    "intellectual",
    "mental",
    "multiple",
)
RESTRICTIONS = ("imprisoned", "compulsory_rehab", "other_liberty_restriction")
PARENT_RELATIONS = ("father", "mother")
GRANDPARENT_RELATIONS = (
    "paternal_grandfather",
    "paternal_grandmother",
    "maternal_grandfather",
    "maternal_grandmother",
)
OTHER_RELATIONS = ("sibling", "other_relative", "friend_neighbour")
NO_CAREGIVER = "none"  # relation value: nobody cares for the child (registry CaregiverInput)
CAREGIVER_RELATIONS = (*PARENT_RELATIONS, *GRANDPARENT_RELATIONS, *OTHER_RELATIONS, NO_CAREGIVER)
DISQUALIFIERS = ("violent_or_abuse_offence", "addiction", "past_neglect", "other_unsuitable")
HUKOU_TYPES = ("rural", "urban", "none")
CARE_CATEGORIES = (
    "parent",
    "grandparents",
    "other_relative_or_friend",
    "parent_at_home_incapable",
    "no_guardian",
)
HEALTH_STATUSES = ("healthy", "ill", "disabled")
SAFETY_CONCERNS = ("abuse", "abandonment", "accidental_injury", "unlawful_harm")


@dataclass(frozen=True)
class ParentFacts:
    """What is known about one parent (DOMAIN.md §1.1 and the 事实无人抚养 situations of §3.1)."""

    situation: str | None  # PARENT_SITUATIONS; None = not recorded
    lacks_guardianship_capacity: bool | None = None
    incapacity_reason: str | None = None  # INCAPACITY_REASONS
    disability_grade: int | None = None  # 1..4 (残疾人证)
    disability_type: str | None = None  # DISABILITY_TYPES
    serious_illness_listed: bool | None = None  # on the county's 重特大疾病 list
    restriction: str | None = None  # RESTRICTIONS
    restriction_term_months: int | None = None  # length of the sentence or measure
    restriction_started_on: dt.date | None = None
    lost_contact_police_accepted_on: dt.date | None = None  # 失联: from police acceptance
    declared_dead: bool | None = None  # natural death or court-declared death (死亡)
    declared_missing: bool | None = None  # court-declared missing (宣告失踪)
    guardianship_revoked: bool | None = None
    deported: bool | None = None
    last_contact_with_child_on: dt.date | None = None  # newest logged contact parent<->child
    last_contact_with_caregiver_on: dt.date | None = None  # newest logged parent<->caregiver


@dataclass(frozen=True)
class CaregiverFacts:
    """The person who cares for the child day to day (未成年人保护法 Arts. 21-23)."""

    relation: str | None  # CAREGIVER_RELATIONS ("none": nobody) or None = not known
    age: int | None = None  # completed years on asof
    self_supporting: bool | None = None  # 16-17 living mainly on own labour (民法典 Art. 18)
    has_care_capacity: bool | None = None
    disqualifiers: tuple[str, ...] = ()  # DISQUALIFIERS (Art. 22)
    disqualifiers_checked: bool = False  # were the Art. 22 disqualifications asked at all?
    child_views_heard: bool | None = None
    notice_to_school_on: dt.date | None = None
    notice_to_village_on: dt.date | None = None
    infectious_disease: bool | None = None  # serious infectious disease (Art. 21)


@dataclass(frozen=True)
class ChildSituation:
    """A child's situation as of ``asof``: the only input of every rule."""

    asof: dt.date
    birth_date: dt.date | None
    hukou_type: str | None  # HUKOU_TYPES
    father: ParentFacts | None
    mother: ParentFacts | None
    care_category: str | None  # CARE_CATEGORIES
    caregiver: CaregiverFacts | None
    lives_alone: bool | None = None  # living apart from guardianship on her own
    left_unattended: bool | None = None  # left without anyone looking after her (无人看护)
    needs_special_care: bool | None = None  # for physical or psychological reasons (Art. 21)
    health_status: str | None = None  # HEALTH_STATUSES
    disability_grade: int | None = None
    household_dibao: bool | None = None
    household_tekun: bool | None = None
    household_poverty_registered: bool | None = None
    poverty_hardship: bool | None = None  # difficulty with living, medical care or schooling
    safety_concerns: tuple[str, ...] = ()  # SAFETY_CONCERNS
    in_full_time_education: bool | None = None
    province_code: str | None = None  # 2 digits, for overlays
    county_code: str | None = None  # 6 digits, for overlays


# ---------------------------------------------------------------------------------------
# Validation and JSON


class SituationError(ValueError):
    """A malformed situation: ``errors`` lists every bad field as (path, problem)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {problem}" for path, problem in errors))


_Errors = list[tuple[str, str]]
_Parser = Callable[[Any, str, _Errors], Any]
_MISSING = object()


def _enum(choices: tuple[str, ...]) -> _Parser:
    def parse(raw: Any, path: str, errors: _Errors) -> Any:
        if raw is None:
            return None
        if not isinstance(raw, str) or raw not in choices:
            errors.append((path, f"{raw!r} is not one of: {', '.join(choices)}"))
            return None
        return raw

    return parse


def _bool(raw: Any, path: str, errors: _Errors) -> bool | None:
    if raw is None or isinstance(raw, bool):
        return raw
    errors.append((path, f"{raw!r} is not true, false or null"))
    return None


def _strict_bool(raw: Any, path: str, errors: _Errors) -> bool:
    if isinstance(raw, bool):
        return raw
    errors.append((path, f"{raw!r} is not true or false"))
    return False


def _int(low: int, high: int) -> _Parser:
    def parse(raw: Any, path: str, errors: _Errors) -> Any:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            errors.append((path, f"{raw!r} is not a whole number from {low} to {high}"))
            return None
        return raw

    return parse


def _date(raw: Any, path: str, errors: _Errors) -> dt.date | None:
    if raw is None or isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    errors.append((path, f"{raw!r} is not a date in the form YYYY-MM-DD"))
    return None


def _code(digits: int) -> _Parser:
    def parse(raw: Any, path: str, errors: _Errors) -> Any:
        if raw is None:
            return None
        if not isinstance(raw, str) or not re.fullmatch(rf"\d{{{digits}}}", raw):
            errors.append((path, f"{raw!r} is not a {digits}-digit code"))
            return None
        return raw

    return parse


def _labels(choices: tuple[str, ...]) -> _Parser:
    def parse(raw: Any, path: str, errors: _Errors) -> tuple[str, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list | tuple):
            errors.append((path, f"{raw!r} is not a list"))
            return ()
        bad = [item for item in raw if not isinstance(item, str) or item not in choices]
        if bad:
            errors.append((path, f"{', '.join(map(repr, bad))} not among: {', '.join(choices)}"))
        return tuple(dict.fromkeys(item for item in raw if item not in bad))

    return parse


_PARENT_FIELDS: dict[str, _Parser] = {
    "situation": _enum(PARENT_SITUATIONS),
    "lacks_guardianship_capacity": _bool,
    "incapacity_reason": _enum(INCAPACITY_REASONS),
    "disability_grade": _int(1, 4),
    "disability_type": _enum(DISABILITY_TYPES),
    "serious_illness_listed": _bool,
    "restriction": _enum(RESTRICTIONS),
    "restriction_term_months": _int(0, 1200),
    "restriction_started_on": _date,
    "lost_contact_police_accepted_on": _date,
    "declared_dead": _bool,
    "declared_missing": _bool,
    "guardianship_revoked": _bool,
    "deported": _bool,
    "last_contact_with_child_on": _date,
    "last_contact_with_caregiver_on": _date,
}
_CAREGIVER_FIELDS: dict[str, _Parser] = {
    "relation": _enum(CAREGIVER_RELATIONS),
    "age": _int(0, 130),
    "self_supporting": _bool,
    "has_care_capacity": _bool,
    "disqualifiers": _labels(DISQUALIFIERS),
    "disqualifiers_checked": _strict_bool,
    "child_views_heard": _bool,
    "notice_to_school_on": _date,
    "notice_to_village_on": _date,
    "infectious_disease": _bool,
}
_CHILD_FIELDS: dict[str, _Parser] = {
    "birth_date": _date,
    "hukou_type": _enum(HUKOU_TYPES),
    "care_category": _enum(CARE_CATEGORIES),
    "lives_alone": _bool,
    "left_unattended": _bool,
    "needs_special_care": _bool,
    "health_status": _enum(HEALTH_STATUSES),
    "disability_grade": _int(1, 4),
    "household_dibao": _bool,
    "household_tekun": _bool,
    "household_poverty_registered": _bool,
    "poverty_hardship": _bool,
    "safety_concerns": _labels(SAFETY_CONCERNS),
    "in_full_time_education": _bool,
    "province_code": _code(2),
    "county_code": _code(6),
}
# Dates of recorded events: a situation as of ``asof`` cannot know of a later one.
_PARENT_EVENT_DATES = (
    "restriction_started_on",
    "lost_contact_police_accepted_on",
    "last_contact_with_child_on",
    "last_contact_with_caregiver_on",
)
_CAREGIVER_EVENT_DATES = ("notice_to_school_on", "notice_to_village_on")
_NESTED = ("father", "mother", "caregiver")
# Top-level keys that are not child fields: the date, the nested objects, and free text.
_TOP_LEVEL_KEYS = frozenset({"asof", *_NESTED, "description"})


def _parse_object(
    raw: Any,
    spec: Mapping[str, _Parser],
    path: str,
    errors: _Errors,
    also_allowed: frozenset[str] = frozenset(),
) -> dict[str, Any] | None:
    """The fields of one JSON object, parsed by ``spec``; None if it is not an object."""
    if not isinstance(raw, Mapping):
        errors.append((path or "situation", "is not a JSON object"))
        return None
    prefix = f"{path}." if path else ""
    unknown = sorted(key for key in raw if key not in spec and key not in also_allowed)
    errors.extend((f"{prefix}{key}", "unknown field") for key in unknown)
    return {
        name: parse(raw.get(name), f"{prefix}{name}", errors)
        for name, parse in spec.items()
        if name in raw or parse is not _strict_bool  # an omitted strict flag keeps its default
    }


def _nested(raw: Any, name: str, errors: _Errors) -> ParentFacts | CaregiverFacts | None:
    if raw is None:
        return None
    if name == "caregiver":
        values = _parse_object(raw, _CAREGIVER_FIELDS, name, errors)
        return CaregiverFacts(**values) if values is not None else None
    values = _parse_object(raw, _PARENT_FIELDS, name, errors)
    return ParentFacts(**values) if values is not None else None


def situation_from_json(data: Any) -> ChildSituation:
    """Build a situation from its JSON form; raise ``SituationError`` naming every bad field."""
    errors: _Errors = []
    if not isinstance(data, Mapping):
        raise SituationError([("situation", "is not a JSON object")])
    asof = None
    if data.get("asof") is None:
        errors.append(("asof", "is required (the date the situation describes)"))
    else:
        asof = _date(data["asof"], "asof", errors)
    values = _parse_object(data, _CHILD_FIELDS, "", errors, _TOP_LEVEL_KEYS) or {}
    for name in _NESTED:
        values[name] = _nested(data.get(name), name, errors)
    if errors or asof is None:
        raise SituationError(errors)
    situation = ChildSituation(asof=asof, **values)
    problems = validate_situation(situation)
    if problems:
        raise SituationError(problems)
    return situation


def validate_situation(situation: ChildSituation) -> list[tuple[str, str]]:
    """Every problem with a situation built in code: vocabularies, ranges and dates.

    ``situation_from_json`` runs this; Django code that builds a ``ChildSituation`` itself
    may call it too (the rules do not: a value outside a vocabulary is simply not matched
    by any rule).
    """
    errors: _Errors = []
    _check_fields(situation, _CHILD_FIELDS, "", errors)
    for name in ("father", "mother"):
        parent = getattr(situation, name)
        if parent is not None:
            _check_fields(parent, _PARENT_FIELDS, name, errors)
            _check_not_after(parent, _PARENT_EVENT_DATES, name, situation.asof, errors)
    if situation.caregiver is not None:
        _check_fields(situation.caregiver, _CAREGIVER_FIELDS, "caregiver", errors)
        _check_not_after(
            situation.caregiver, _CAREGIVER_EVENT_DATES, "caregiver", situation.asof, errors
        )
    if situation.birth_date is not None and situation.birth_date > situation.asof:
        errors.append(("birth_date", "is after asof"))
    if (
        situation.province_code
        and situation.county_code
        and not situation.county_code.startswith(situation.province_code)
    ):
        errors.append(("county_code", "is not in the province given by province_code"))
    return errors


def _check_fields(obj: Any, spec: Mapping[str, _Parser], path: str, errors: _Errors) -> None:
    prefix = f"{path}." if path else ""
    for name, parse in spec.items():
        value = getattr(obj, name)
        if isinstance(value, tuple):
            value = list(value)
        parse(value, f"{prefix}{name}", errors)


def _check_not_after(
    obj: Any, names: tuple[str, ...], path: str, asof: dt.date, errors: _Errors
) -> None:
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, dt.date) and value > asof:
            errors.append((f"{path}.{name}", "is after asof"))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _object_to_json(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}


def situation_to_json(situation: ChildSituation) -> dict[str, Any]:
    """The JSON form of a situation (every field, dates as ISO strings); inverse of from_json."""
    result: dict[str, Any] = {}
    for f in fields(situation):
        value = getattr(situation, f.name)
        result[f.name] = _object_to_json(value) if f.name in _NESTED else _plain(value)
    return result
