"""Storing what the rules say about a child, with history; and people's decisions on it.

``child_classify`` runs after every write to a child's record (registration, update, a
logged contact) and from the scheduled ``shouwang rules reevaluate`` (birthdays, six-month
durations, the weekly contact). A classification gets a new history row only when its
meaning changes (status, value, labels, alerts, missing facts, rule version); a change of
wording only (say, "no contact recorded in 9 days" becoming 10) updates the current row.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import require
from shouwang.accounts.models import User
from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor, audit_record
from shouwang.core.errors import ValidationFailed
from shouwang.registry.models import Child
from shouwang.rules.engine.evaluate import evaluate_all, outcome_to_json
from shouwang.rules.models import Classification, ClassificationDecision
from shouwang.rules.situations import rule_parameters, situation_for_child

LEVEL_ORDER = {"": 0, "amber": 1, "red": 2}


@dataclass
class Classified:
    changed: list[str] = field(default_factory=list)
    current: list[Classification] = field(default_factory=list)


def _meaning(data: dict[str, Any]) -> tuple[Any, ...]:
    """What makes a classification different, as opposed to reworded."""
    labels = tuple(sorted((lab["label"], lab["status"]) for lab in data.get("labels", [])))
    alerts = tuple(sorted((a["code"], a["level"]) for a in data["alerts"]))
    return (
        data["version"],
        data["status"],
        data["value"] or "",
        labels,
        alerts,
        tuple(data["missing"]),
    )


def _row_fields(data: dict[str, Any]) -> dict[str, Any]:
    levels = [a["level"] for a in data["alerts"]]
    return {
        "rule_version": data["version"],
        "status": data["status"],
        "value": data["value"] or "",
        "labels": data.get("labels", []),
        "reasons": data["reasons"],
        "missing": data["missing"],
        "citations": data["citations"],
        "alerts": data["alerts"],
        "alert_level": max(levels, key=LEVEL_ORDER.__getitem__) if levels else "",
        "mandatory_report": any(a["mandatory_report"] for a in data["alerts"]),
    }


def _stored_meaning(row: Classification) -> tuple[Any, ...]:
    return _meaning(
        {
            "version": row.rule_version,
            "status": row.status,
            "value": row.value,
            "labels": row.labels,
            "alerts": row.alerts,
            "missing": row.missing,
        }
    )


@transaction.atomic
def child_classify(
    *, actor: User | SystemActor, child: Child, asof: dt.date | None = None
) -> Classified:
    """Evaluate every rule in force for ``child`` and store what changed."""
    asof = asof or timezone.localdate()
    evaluation = evaluate_all(situation_for_child(child, asof=asof), rule_parameters())
    current = {
        row.rule_id: row
        for row in Classification.objects.select_for_update().filter(
            child=child, ended_at__isnull=True
        )
    }
    now = timezone.now()
    result = Classified()
    for outcome in evaluation.outcomes:
        data = outcome_to_json(outcome, messages=False)
        fields = _row_fields(data)
        old = current.pop(outcome.rule_id, None)
        if old is not None and _stored_meaning(old) == _meaning(data):
            for name, value in fields.items():
                setattr(old, name, value)
            old.asof = asof
            old.save(update_fields=[*fields, "asof"])
            result.current.append(old)
            continue
        if old is not None:
            old.ended_at = now
            old.save(update_fields=["ended_at"])
        row = Classification.objects.create(
            child=child, rule_id=outcome.rule_id, asof=asof, **fields
        )
        result.current.append(row)
        result.changed.append(outcome.rule_id)
    for leftover in current.values():  # a rule no longer in force on asof
        leftover.ended_at = now
        leftover.save(update_fields=["ended_at"])
        result.changed.append(leftover.rule_id)
    if result.changed:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CHILD_CLASSIFIED,
            target=child,
            area=child.village,
            extra={"rules": sorted(result.changed), "asof": asof.isoformat()},
        )
    return result


@transaction.atomic
def classification_decide(
    *,
    actor: User,
    classification: Classification,
    decision: str,
    reason: str,
    overridden_to: str = "",
) -> ClassificationDecision:
    """Record a person's decision on what the rules suggested (PIPL Art. 24)."""
    require(actor, Cap.DECIDE_CLASSIFICATION, classification.child)
    errors: dict[str, list[str]] = {}
    if decision not in ClassificationDecision.Decision.values:
        errors["decision"] = [_("Please choose a decision.")]
    if not reason.strip():
        errors["reason"] = [_("Please give the reason for the decision.")]
    if decision == ClassificationDecision.Decision.OVERRIDDEN and not overridden_to.strip():
        errors["overridden_to"] = [_("Please say what the result should be.")]
    if classification.ended_at is not None:
        errors["decision"] = [
            _("This result has been superseded: please decide on the current one.")
        ]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    row = ClassificationDecision.objects.create(
        classification=classification,
        decision=decision,
        overridden_to=overridden_to.strip() if decision == "overridden" else "",
        reason=reason.strip(),
        decided_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CLASSIFICATION_DECIDED,
        target=classification.child,
        area=classification.child.village,
        extra={"rule": classification.rule_id, "decision": decision},
    )
    return row


def children_reevaluate(
    *, asof: dt.date | None = None, children: "Any | None" = None, batch: int = 500
) -> tuple[int, int]:
    """Re-evaluate the rules for many children (the scheduled job): time-based rules change
    with the date alone (birthdays, six months of lost contact, a week without contact).

    Each child is classified in its own transaction, so one bad record does not undo the
    night's work. Returns (children evaluated, children whose classifications changed).
    """
    actor = SystemActor("rules-scheduler")
    qs = children if children is not None else Child.objects.all()
    qs = qs.select_related("household", "county", "village").order_by("pk")
    seen = changed = 0
    last_pk = 0
    while True:
        chunk = list(qs.filter(pk__gt=last_pk)[:batch])
        if not chunk:
            return seen, changed
        for child in chunk:
            seen += 1
            if child_classify(actor=actor, child=child, asof=asof).changed:
                changed += 1
        last_pk = chunk[-1].pk
