"""Rule parameters as data: values with their citation, effective dates and jurisdiction.

Every number and option a rule reads (ages, durations, disability grades, provincial
options) is a ``Parameter``. A ``ParameterSet`` resolves a key for a situation: the most
specific jurisdiction wins (county over province over national), among the records in force
on the situation's ``asof`` (``effective_to`` is inclusive). ``NATIONAL`` holds the national
defaults of DOMAIN.md; a province or county switches an option on with an overlay
(``overlay_from_json`` / ``load_overlay``; the format is in docs/rules.md).
"""

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shouwang.rules.engine.citations import (
    CIVIL_CODE_ART_18,
    GRADES,
    GUANGDONG_2019_10,
    GUOFA_2016_13,
    GUOFA_2016_36,
    MINFA_2019_62,
    MINFA_2019_62_PROCEDURE,
    MINFA_2020_125,
    MPL_ART_21_1,
    MPL_ART_21_2,
    MPL_ART_23,
    Citation,
)
from shouwang.rules.engine.outcome import ParameterUse

if TYPE_CHECKING:
    from shouwang.rules.engine.situation import ChildSituation

NATIONAL_JURISDICTION = "national"
ParamValue = bool | int | str | tuple[int, ...] | tuple[str, ...]

# The situations of 民发〔2019〕62号 (and 125号) a parent can be in (DOMAIN.md §3.1).
FUC_SITUATIONS = (
    "severe_disability",
    "serious_illness",
    "imprisoned",
    "compulsory_rehab",
    "other_liberty_restriction",
    "lost_contact",
    "guardianship_revoked",
    "deported",
)
_FUC_SITUATIONS_62 = FUC_SITUATIONS[:6]
_DISABILITY_TYPES = (
    "physical",
    "visual",
    "hearing",
    "speech",
    "intellectual",
    "mental",
    "multiple",
)


class ParameterError(ValueError):
    """A bad parameter or overlay: ``errors`` lists every problem as (path, problem)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {problem}" for path, problem in errors))


@dataclass(frozen=True)
class Parameter:
    """One value of one parameter, in force from ``effective_from`` to ``effective_to``."""

    key: str
    value: ParamValue
    effective_from: dt.date
    citation: Citation
    effective_to: dt.date | None = None  # inclusive; None = open-ended
    jurisdiction: str = NATIONAL_JURISDICTION  # "national" | 2-digit province | 6-digit county
    note: str = ""  # e.g. "not national: provincial option"
    unconfirmed: bool = False

    def in_force(self, asof: dt.date) -> bool:
        return self.effective_from <= asof and (
            self.effective_to is None or asof <= self.effective_to
        )

    def overlaps(self, other: "Parameter") -> bool:
        far = dt.date.max
        return self.effective_from <= (other.effective_to or far) and other.effective_from <= (
            self.effective_to or far
        )

    def use(self) -> ParameterUse:
        return ParameterUse(
            key=self.key,
            value=self.value,
            jurisdiction=self.jurisdiction,
            effective_from=self.effective_from,
            grade=self.citation.grade,
            unconfirmed=self.unconfirmed,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": list(self.value) if isinstance(self.value, tuple) else self.value,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "jurisdiction": self.jurisdiction,
            "citation": self.citation.to_json(),
            "note": self.note,
            "unconfirmed": self.unconfirmed,
        }


def _jurisdiction_problem(jurisdiction: str) -> str | None:
    if jurisdiction == NATIONAL_JURISDICTION or re.fullmatch(r"\d{2}|\d{6}", jurisdiction):
        return None
    return f"{jurisdiction!r} is not 'national', a 2-digit province or a 6-digit county code"


def _overlap_problem(first: Parameter, second: Parameter) -> str:
    return (
        f"two values for {second.jurisdiction} in force at the same time "
        f"(from {first.effective_from} and from {second.effective_from})"
    )


def _level(jurisdiction: str) -> int:
    return {NATIONAL_JURISDICTION: 0}.get(jurisdiction, 1 if len(jurisdiction) == 2 else 2)


class ParameterSet:
    """An immutable collection of parameters that resolves a key for a date and place."""

    def __init__(self, parameters: Iterable[Parameter]) -> None:
        by_key: dict[str, list[Parameter]] = {}
        errors: list[tuple[str, str]] = []
        for parameter in parameters:
            problem = _jurisdiction_problem(parameter.jurisdiction)
            if problem:
                errors.append((parameter.key, problem))
            errors.extend(
                (parameter.key, _overlap_problem(other, parameter))
                for other in by_key.get(parameter.key, [])
                if other.jurisdiction == parameter.jurisdiction and other.overlaps(parameter)
            )
            by_key.setdefault(parameter.key, []).append(parameter)
        if errors:
            raise ParameterError(errors)
        self._by_key = {key: tuple(values) for key, values in by_key.items()}

    def __iter__(self) -> Iterator[Parameter]:
        return iter(p for values in self._by_key.values() for p in values)

    def keys(self) -> tuple[str, ...]:
        return tuple(self._by_key)

    def records(self, key: str) -> tuple[Parameter, ...]:
        return self._by_key.get(key, ())

    def resolve(
        self,
        key: str,
        *,
        asof: dt.date,
        province_code: str | None = None,
        county_code: str | None = None,
    ) -> Parameter:
        """The record for ``key`` in force on ``asof``: county, else province, else national."""
        if key not in self._by_key:
            msg = f"unknown parameter {key!r}"
            raise KeyError(msg)
        province = province_code or (county_code[:2] if county_code else None)
        places = {NATIONAL_JURISDICTION, province, county_code} - {None}
        candidates = [p for p in self._by_key[key] if p.jurisdiction in places and p.in_force(asof)]
        if not candidates:
            msg = f"no value of {key!r} in force on {asof.isoformat()}"
            raise KeyError(msg)
        return max(candidates, key=lambda p: (_level(p.jurisdiction), p.effective_from))

    def resolve_for(self, key: str, situation: "ChildSituation") -> Parameter:
        return self.resolve(
            key,
            asof=situation.asof,
            province_code=situation.province_code,
            county_code=situation.county_code,
        )

    def with_overlay(self, overlay: Iterable[Parameter]) -> "ParameterSet":
        """A new set with ``overlay`` added; each key must exist and keep its value's type."""
        added = list(overlay)
        errors: list[tuple[str, str]] = []
        for index, parameter in enumerate(added):
            path = f"parameters[{index}]"
            if parameter.key not in self._by_key:
                errors.append((f"{path}.key", f"unknown parameter {parameter.key!r}"))
                continue
            problem = _value_problem(parameter.key, parameter.value, self._by_key[parameter.key])
            if problem:
                errors.append((f"{path}.value", problem))
        if errors:
            raise ParameterError(errors)
        return ParameterSet([*self, *added])


class ParamReader:
    """What one rule reads for one situation; remembers every parameter it used."""

    def __init__(
        self, params: ParameterSet, situation: "ChildSituation", allowed: Iterable[str]
    ) -> None:
        self._params = params
        self._situation = situation
        self._allowed = frozenset(allowed)
        self._used: dict[str, Parameter] = {}

    def __call__(self, key: str) -> Any:
        if key not in self._allowed:
            msg = f"rule reads {key!r} but does not declare it in its parameter_keys"
            raise KeyError(msg)
        parameter = self._params.resolve_for(key, self._situation)
        self._used[key] = parameter
        return parameter.value

    @property
    def used(self) -> tuple[Parameter, ...]:
        return tuple(self._used.values())


# ---------------------------------------------------------------------------------------
# Overlays from JSON

_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "fuc.situations_both_parents": FUC_SITUATIONS,
    "fuc.situations_other_parent": FUC_SITUATIONS,
    "fuc.severe_disability_specific_types": _DISABILITY_TYPES,
}


def _value_problem(key: str, value: Any, existing: tuple[Parameter, ...]) -> str | None:
    sample = existing[0].value
    if isinstance(sample, bool):
        return None if isinstance(value, bool) else f"{value!r} is not true or false"
    if isinstance(sample, int):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else f"{value!r} is not a whole number of at least 0"
    if isinstance(sample, tuple):
        item_type = type(sample[0]) if sample else str
        if not isinstance(value, tuple) or not all(
            isinstance(item, item_type) and not isinstance(item, bool) for item in value
        ):
            return f"{value!r} is not a list of {item_type.__name__} values"
        vocabulary = _VOCABULARIES.get(key)
        bad = [item for item in value if vocabulary and item not in vocabulary]
        return f"{bad!r} not among: {', '.join(vocabulary or ())}" if bad else None
    return None if isinstance(value, type(sample)) else f"{value!r} has the wrong type"


def _required_str(raw: Mapping[str, Any], name: str, path: str, errors: list) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        errors.append((f"{path}.{name}", "is required (a non-empty string)"))
        return ""
    return value


def _optional_str(raw: Mapping[str, Any], name: str, path: str, errors: list) -> str | None:
    value = raw.get(name)
    if value is not None and not isinstance(value, str):
        errors.append((f"{path}.{name}", f"{value!r} is not a string or null"))
        return None
    return value


def _date_field(raw: Mapping[str, Any], name: str, path: str, errors: list) -> dt.date | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    errors.append((f"{path}.{name}", f"{value!r} is not a date in the form YYYY-MM-DD"))
    return None


_CITATION_KEYS = frozenset({"title", "issuer", "number", "article", "grade", "url"})
_PARAMETER_KEYS = frozenset(
    {
        "key",
        "value",
        "effective_from",
        "effective_to",
        "jurisdiction",
        "citation",
        "note",
        "unconfirmed",
    }
)


def _citation_from_json(raw: Any, path: str, errors: list) -> Citation | None:
    if not isinstance(raw, Mapping):
        errors.append((path, "is required (an object with title, issuer and grade)"))
        return None
    errors.extend((f"{path}.{key}", "unknown field") for key in sorted(set(raw) - _CITATION_KEYS))
    title = _required_str(raw, "title", path, errors)
    issuer = _required_str(raw, "issuer", path, errors)
    grade = raw.get("grade")
    if grade not in GRADES:
        errors.append((f"{path}.grade", f"{grade!r} is not one of: {', '.join(GRADES)}"))
        return None
    number = _optional_str(raw, "number", path, errors)
    article = _optional_str(raw, "article", path, errors)
    url = _optional_str(raw, "url", path, errors)
    if not title or not issuer:
        return None
    return Citation(
        title=title, issuer=issuer, grade=grade, number=number, article=article, url=url
    )


def _parameter_from_json(raw: Any, path: str, errors: list) -> Parameter | None:
    if not isinstance(raw, Mapping):
        errors.append((path, "is not a JSON object"))
        return None
    before = len(errors)
    errors.extend((f"{path}.{key}", "unknown field") for key in sorted(set(raw) - _PARAMETER_KEYS))
    key = _required_str(raw, "key", path, errors)
    if "value" not in raw or raw["value"] is None:
        errors.append((f"{path}.value", "is required"))
    value = raw.get("value")
    value = tuple(value) if isinstance(value, list) else value
    effective_from = _date_field(raw, "effective_from", path, errors)
    if raw.get("effective_from") is None:
        errors.append((f"{path}.effective_from", "is required (YYYY-MM-DD)"))
    effective_to = _date_field(raw, "effective_to", path, errors)
    if effective_from and effective_to and effective_to < effective_from:
        errors.append((f"{path}.effective_to", "is before effective_from"))
    jurisdiction = _required_str(raw, "jurisdiction", path, errors)
    problem = _jurisdiction_problem(jurisdiction) if jurisdiction else None
    if problem:
        errors.append((f"{path}.jurisdiction", problem))
    citation = _citation_from_json(raw.get("citation"), f"{path}.citation", errors)
    note = _optional_str(raw, "note", path, errors) or ""
    unconfirmed = raw.get("unconfirmed", False)
    if not isinstance(unconfirmed, bool):
        errors.append((f"{path}.unconfirmed", f"{unconfirmed!r} is not true or false"))
    if len(errors) > before or citation is None or effective_from is None:
        return None
    return Parameter(
        key=key,
        value=value,
        effective_from=effective_from,
        effective_to=effective_to,
        jurisdiction=jurisdiction,
        citation=citation,
        note=note,
        unconfirmed=unconfirmed,
    )


def overlay_from_json(data: Any, base: "ParameterSet | None" = None) -> ParameterSet:
    """``base`` (default ``NATIONAL``) with the overlay's parameters added.

    Raises ``ParameterError`` listing every bad field (``parameters[2].value: ...``).
    """
    base = NATIONAL if base is None else base
    if not isinstance(data, Mapping) or not isinstance(data.get("parameters"), list):
        raise ParameterError([("parameters", "the overlay must be an object with a list")])
    errors: list[tuple[str, str]] = []
    errors.extend(
        (key, "unknown field") for key in sorted(set(data) - {"parameters", "description"})
    )
    parsed = [
        _parameter_from_json(raw, f"parameters[{index}]", errors)
        for index, raw in enumerate(data["parameters"])
    ]
    if errors:
        raise ParameterError(errors)
    return base.with_overlay(p for p in parsed if p is not None)


def load_overlay(path: "str | Path", base: "ParameterSet | None" = None) -> ParameterSet:
    """Read an overlay file (JSON, UTF-8); raise ``ParameterError`` for bad JSON or fields."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ParameterError([(str(path), f"is not valid JSON ({error})")]) from None
    return overlay_from_json(data, base)


# ---------------------------------------------------------------------------------------
# National defaults (DOMAIN.md §1-§5)

_13_PUBLISHED = dt.date(2016, 2, 14)
_36_PUBLISHED = dt.date(2016, 6, 16)
_62_EFFECTIVE = dt.date(2020, 1, 1)  # [R]: recalled, not confirmed (DOMAIN.md §3)
_125_EFFECTIVE = dt.date(2021, 1, 1)  # [R]: "issued at the end of 2020"; taken as 1 January
_CIVIL_CODE_IN_FORCE = dt.date(2021, 1, 1)
_MPL_2020_IN_FORCE = dt.date(2021, 6, 1)

_62_NOTE = (
    "Operational definition from county and municipal implementing texts (Qinzhou, Haicang, "
    "Gangcheng) [V2]; the 62号 text itself was not seen."
)
_125_NOTE = (
    "民发〔2020〕125号 adds 被撤销监护资格 (both branches) and 被遣送（驱逐）出境 (one-parent "
    "branch). Its effective date is taken as 2021-01-01 (issued at the end of 2020): unconfirmed."
)


def _national() -> list[Parameter]:
    return [
        Parameter(
            "left_behind.age_limit",
            16,
            _13_PUBLISHED,
            GUOFA_2016_13,
            note="不满十六周岁: under 16 in completed years on asof.",
        ),
        Parameter(
            "left_behind.count_dead_or_divorced_as_incapable",
            False,
            _13_PUBLISHED,
            GUOFA_2016_13,
            note=(
                "Not national: provincial option. No national source counts a dead, missing "
                "or divorced-and-absent parent as lacking guardianship capacity."
            ),
        ),
        Parameter(
            "living_alone.age_limit",
            16,
            _13_PUBLISHED,
            GUOFA_2016_13,
            effective_to=_MPL_2020_IN_FORCE - dt.timedelta(days=1),
            note="13号: parents must not let a child under 16 live alone without guardianship.",
        ),
        Parameter(
            "living_alone.age_limit",
            16,
            _MPL_2020_IN_FORCE,
            MPL_ART_21_2,
            note="不得使未满十六周岁的未成年人脱离监护单独生活.",
        ),
        Parameter(
            "in_difficulty.age_limit",
            18,
            _36_PUBLISHED,
            GUOFA_2016_36,
            note="Children (under 18; 未成年人保护法 Art. 2).",
        ),
        Parameter("fuc.age_limit", 18, _62_EFFECTIVE, MINFA_2019_62, note="未满18周岁."),
        Parameter(
            "fuc.extend_while_in_education",
            False,
            _62_EFFECTIVE,
            GUANGDONG_2019_10,
            note=(
                "Not national: provincial option (Guangdong continues the allowance after 18 "
                "in full-time education; postgraduate study excluded)."
            ),
        ),
        Parameter(
            "fuc.situations_both_parents",
            _FUC_SITUATIONS_62,
            _62_EFFECTIVE,
            MINFA_2019_62,
            effective_to=_125_EFFECTIVE - dt.timedelta(days=1),
            note="Set S of 62号.",
        ),
        Parameter(
            "fuc.situations_both_parents",
            (*_FUC_SITUATIONS_62, "guardianship_revoked"),
            _125_EFFECTIVE,
            MINFA_2020_125,
            note=_125_NOTE,
            unconfirmed=True,
        ),
        Parameter(
            "fuc.situations_other_parent",
            _FUC_SITUATIONS_62,
            _62_EFFECTIVE,
            MINFA_2019_62,
            effective_to=_125_EFFECTIVE - dt.timedelta(days=1),
            note="Before 125号 the other parent's situations are the set S.",
        ),
        Parameter(
            "fuc.situations_other_parent",
            FUC_SITUATIONS,
            _125_EFFECTIVE,
            MINFA_2020_125,
            note=_125_NOTE,
            unconfirmed=True,
        ),
        Parameter(
            "fuc.deportation_counts_in_both_parents_branch",
            False,
            _125_EFFECTIVE,
            MINFA_2020_125,
            note=(
                "Sources disagree: Guangdong and Jining list deportation only in the "
                "one-parent branch, Heilongjiang and Qinzhou in both. Off until the 125号 "
                "text is checked."
            ),
            unconfirmed=True,
        ),
        Parameter(
            "fuc.lost_contact_min_days",
            180,
            _62_EFFECTIVE,
            MINFA_2019_62,
            note=(
                "失联 for 6 months or more, counted from the day the police accepted the "
                "report (Jining, Gangcheng; clarified by 125号). 6 months taken as 180 days: "
                "our conversion, not law."
            ),
        ),
        Parameter("fuc.restriction_min_months", 6, _62_EFFECTIVE, MINFA_2019_62, note=_62_NOTE),
        Parameter(
            "fuc.severe_disability_any_type_grades",
            (1, 2),
            _62_EFFECTIVE,
            MINFA_2019_62,
            note=_62_NOTE,
        ),
        Parameter(
            "fuc.severe_disability_specific_grades",
            (3, 4),
            _62_EFFECTIVE,
            MINFA_2019_62,
            note=_62_NOTE,
        ),
        Parameter(
            "fuc.severe_disability_specific_types",
            ("mental", "intellectual"),
            _62_EFFECTIVE,
            MINFA_2019_62,
            note=_62_NOTE,
        ),
        Parameter(
            "fuc.township_working_days",
            15,
            _62_EFFECTIVE,
            MINFA_2019_62_PROCEDURE,
            note=(
                "[R] Township verification deadline. Not found in the 62号 text; consistent "
                "with the 跨省通办 figures (15 + 15 working days)."
            ),
            unconfirmed=True,
        ),
        Parameter(
            "fuc.county_working_days",
            15,
            _62_EFFECTIVE,
            MINFA_2019_62_PROCEDURE,
            note="[R] County confirmation deadline. Not found in the 62号 text.",
            unconfirmed=True,
        ),
        Parameter(
            "contact.max_days_without_contact",
            7,
            _MPL_2020_IN_FORCE,
            MPL_ART_23,
            note=(
                "至少每周联系和交流一次: more than 7 days without a logged contact raises an alert."
            ),
        ),
        Parameter(
            "unattended.age_limit",
            8,
            _MPL_2020_IN_FORCE,
            MPL_ART_21_1,
            note="未满八周岁.",
        ),
        Parameter(
            "civil_capacity.full_age",
            18,
            _CIVIL_CODE_IN_FORCE,
            CIVIL_CODE_ART_18,
            note="成年人为完全民事行为能力人.",
        ),
        Parameter(
            "civil_capacity.self_supporting_age",
            16,
            _CIVIL_CODE_IN_FORCE,
            CIVIL_CODE_ART_18,
            note="十六周岁以上、以自己的劳动收入为主要生活来源的未成年人，视为完全民事行为能力人.",
        ),
    ]


NATIONAL = ParameterSet(_national())
