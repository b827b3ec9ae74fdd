"""A rule's catalogue entry (id, version, dates, citations) and how it builds its outcome."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shouwang.rules.engine.citations import Citation, weakest_grade
from shouwang.rules.engine.logic import Finding
from shouwang.rules.engine.outcome import CANNOT_DETERMINE, Alert, Label, Outcome, Reason
from shouwang.rules.engine.params import NATIONAL_JURISDICTION, ParameterSet, ParamReader

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from shouwang.rules.engine.situation import ChildSituation


@dataclass(frozen=True)
class RuleSpec:
    """What the catalogue says about a rule; ``evaluate`` functions build outcomes from it."""

    rule_id: str
    version: str
    title: "Promise"  # gettext_lazy
    effective_from: dt.date
    parameter_keys: tuple[str, ...]
    citations: tuple[Citation, ...]
    effective_to: dt.date | None = None  # inclusive
    jurisdiction: str = NATIONAL_JURISDICTION

    @property
    def grade(self) -> str:
        """The source grade of the rule: that of its least trusted citation."""
        return weakest_grade(self.citations)

    def in_force(self, asof: dt.date) -> bool:
        return self.effective_from <= asof and (
            self.effective_to is None or asof <= self.effective_to
        )

    def reader(self, params: ParameterSet, situation: "ChildSituation") -> ParamReader:
        return ParamReader(params, situation, self.parameter_keys)

    def outcome(
        self,
        situation: "ChildSituation",
        read: ParamReader,
        finding: Finding,
        *,
        status: str | None = None,
        extra_reasons: tuple[Reason, ...] = (),
        alerts: tuple[Alert, ...] = (),
        value: str | None = None,
        labels: tuple[Label, ...] = (),
    ) -> Outcome:
        """The outcome of ``finding``, with this rule's version, citations and parameters."""
        status = status or finding.status
        missing = finding.missing if finding.value is None else ()
        reasons = (*finding.reasons, *extra_reasons)
        if status == CANNOT_DETERMINE:
            reasons = (*reasons, Reason("facts_missing", {"facts": list(missing)}))
        citations = list(self.citations)
        for parameter in read.used:
            if parameter.citation not in citations:
                citations.append(parameter.citation)
        return Outcome(
            rule_id=self.rule_id,
            version=self.version,
            status=status,
            evaluated_asof=situation.asof,
            reasons=reasons,
            missing=missing,
            citations=tuple(citations),
            alerts=alerts,
            value=value,
            labels=labels,
            parameters=tuple(sorted((p.use() for p in read.used), key=lambda u: u.key)),
        )


Evaluate = Callable[["ChildSituation", ParameterSet], Outcome]


@dataclass(frozen=True)
class Rule:
    """A catalogue entry: the spec and the pure function that evaluates it."""

    spec: RuleSpec
    evaluate: Evaluate

    @property
    def rule_id(self) -> str:
        return self.spec.rule_id

    def to_json(self) -> dict[str, Any]:
        spec = self.spec
        return {
            "rule_id": spec.rule_id,
            "version": spec.version,
            "title": str(spec.title),
            "effective_from": spec.effective_from.isoformat(),
            "effective_to": spec.effective_to.isoformat() if spec.effective_to else None,
            "jurisdiction": spec.jurisdiction,
            "grade": spec.grade,
            "parameters": list(spec.parameter_keys),
            "citations": [c.to_json() for c in spec.citations],
        }
