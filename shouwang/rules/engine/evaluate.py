"""Run every rule in force for a situation, and the JSON form of the result.

``evaluate_all`` is what Django code calls (after building a ``ChildSituation`` from the
registry) and what ``shouwang rules evaluate`` prints. ``evaluation_to_json`` and
``outcome_to_json`` give a stable key order, for storage and for comparing outputs.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from shouwang.rules.engine.messages import fact_label, render, render_alert
from shouwang.rules.engine.outcome import Alert, Label, Outcome, Reason
from shouwang.rules.engine.params import NATIONAL, ParameterSet
from shouwang.rules.engine.rules import rules_in_force
from shouwang.rules.engine.situation import ChildSituation
from shouwang.rules.engine.spec import Rule

ENGINE_VERSION = "1"


@dataclass(frozen=True)
class Evaluation:
    """The outcomes of every rule in force on ``asof`` for one situation."""

    asof: dt.date
    outcomes: tuple[Outcome, ...]
    province_code: str | None = None
    county_code: str | None = None

    def outcome(self, rule_id: str) -> Outcome:
        """The outcome of ``rule_id``; KeyError if that rule was not in force."""
        for outcome in self.outcomes:
            if outcome.rule_id == rule_id:
                return outcome
        raise KeyError(rule_id)

    @property
    def alerts(self) -> tuple[tuple[str, Alert], ...]:
        """Every alert, as (rule_id, alert), RED first."""
        pairs = [(o.rule_id, a) for o in self.outcomes for a in o.alerts]
        return tuple(sorted(pairs, key=lambda pair: pair[1].level != "red"))


def evaluate_all(
    situation: ChildSituation,
    params: ParameterSet = NATIONAL,
    *,
    rules: "tuple[Rule, ...] | None" = None,
) -> Evaluation:
    """Evaluate every rule in force on ``situation.asof`` (or only ``rules``)."""
    selected = rules_in_force(situation.asof) if rules is None else rules
    return Evaluation(
        asof=situation.asof,
        outcomes=tuple(rule.evaluate(situation, params) for rule in selected),
        province_code=situation.province_code,
        county_code=situation.county_code,
    )


def _reason_json(reason: Reason, *, messages: bool) -> dict[str, Any]:
    result = reason.to_json()
    if messages:
        result["message"] = render(reason)
    return result


def _alert_json(alert: Alert, *, messages: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        "code": alert.code,
        "level": alert.level,
        "mandatory_report": alert.mandatory_report,
        "params": dict(sorted(alert.params.items())),
    }
    if messages:
        result["message"] = render_alert(alert)
    result["reasons"] = [_reason_json(r, messages=messages) for r in alert.reasons]
    return result


def _label_json(label: Label, *, messages: bool) -> dict[str, Any]:
    return {
        "label": label.label,
        "status": label.status,
        "reasons": [_reason_json(r, messages=messages) for r in label.reasons],
        "missing": list(label.missing),
    }


def outcome_to_json(outcome: Outcome, *, messages: bool = True) -> dict[str, Any]:
    """One outcome as JSON. ``messages``: add the rendered sentences (active language)."""
    result: dict[str, Any] = {
        "rule_id": outcome.rule_id,
        "version": outcome.version,
        "status": outcome.status,
        "value": outcome.value,
    }
    if outcome.labels:
        result["labels"] = [_label_json(label, messages=messages) for label in outcome.labels]
    result["reasons"] = [_reason_json(r, messages=messages) for r in outcome.reasons]
    result["missing"] = list(outcome.missing)
    if messages:
        result["missing_labels"] = [fact_label(path) for path in outcome.missing]
    result["alerts"] = [_alert_json(a, messages=messages) for a in outcome.alerts]
    result["citations"] = [c.to_json() for c in outcome.citations]
    result["parameters"] = [p.to_json() for p in outcome.parameters]
    result["evaluated_asof"] = outcome.evaluated_asof.isoformat()
    return result


def evaluation_to_json(evaluation: Evaluation, *, messages: bool = True) -> dict[str, Any]:
    """The whole evaluation as JSON, keys in a fixed order (what the CLI prints)."""
    return {
        "engine_version": ENGINE_VERSION,
        "asof": evaluation.asof.isoformat(),
        "province_code": evaluation.province_code,
        "county_code": evaluation.county_code,
        "outcomes": [outcome_to_json(o, messages=messages) for o in evaluation.outcomes],
    }
