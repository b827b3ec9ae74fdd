"""What a rule returns: a status with its reasons, missing facts, citations and alerts.

Reason and alert codes are stable strings (stored with every classification); their
human-readable, translated text comes from ``messages.render``. Params are plain JSON
values (numbers, strings, booleans, lists of strings, ISO dates as strings).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from shouwang.rules.engine.citations import Citation

YES = "yes"
NO = "no"
CANNOT_DETERMINE = "cannot_determine"
NOT_APPLICABLE = "not_applicable"  # the rule's question does not arise (e.g. a parent cares)
STATUSES = (YES, NO, CANNOT_DETERMINE, NOT_APPLICABLE)

RED = "red"
AMBER = "amber"


@dataclass(frozen=True)
class Reason:
    """One step of the explanation: a stable code and its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(sorted(self.params.items()))}


@dataclass(frozen=True)
class Alert:
    """Something a person must look at now. ``mandatory_report``: a duty to report to police."""

    code: str
    level: str  # RED | AMBER
    reasons: tuple[Reason, ...] = ()
    mandatory_report: bool = False
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.level not in {RED, AMBER}:
            msg = f"alert level must be red or amber, not {self.level!r}"
            raise ValueError(msg)


@dataclass(frozen=True)
class Label:
    """One label of a multi-label rule (e.g. 困境 poverty), with its own status and evidence."""

    label: str
    status: str
    reasons: tuple[Reason, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParameterUse:
    """A parameter value a rule read for this situation, and where it came from."""

    key: str
    value: Any
    jurisdiction: str
    effective_from: dt.date
    grade: str
    unconfirmed: bool

    def to_json(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {
            "key": self.key,
            "value": value,
            "jurisdiction": self.jurisdiction,
            "effective_from": self.effective_from.isoformat(),
            "grade": self.grade,
            "unconfirmed": self.unconfirmed,
        }


@dataclass(frozen=True)
class Outcome:
    """The answer of one rule (at one version) for one situation on ``evaluated_asof``."""

    rule_id: str
    version: str
    status: str  # STATUSES
    evaluated_asof: dt.date
    reasons: tuple[Reason, ...] = ()
    missing: tuple[str, ...] = ()  # fact paths, e.g. "mother.situation"
    citations: tuple[Citation, ...] = ()
    alerts: tuple[Alert, ...] = ()
    value: str | None = None  # categorical rules: the category
    labels: tuple[Label, ...] = ()  # multi-label rules
    parameters: tuple[ParameterUse, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            msg = f"status must be one of {', '.join(STATUSES)}, not {self.status!r}"
            raise ValueError(msg)
