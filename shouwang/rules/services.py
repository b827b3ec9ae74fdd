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

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import require
from shouwang.accounts.models import User
from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor, audit_record, audit_record_many
from shouwang.core.errors import ValidationFailed
from shouwang.registry.models import Child
from shouwang.rules.engine.evaluate import evaluate_all, outcome_to_json
from shouwang.rules.models import Classification, ClassificationDecision
from shouwang.rules.situations import (
    rule_parameters,
    situation_for_child,
    situations_for_children,
)

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


# The stored fields of a result (``_row_fields``), rewritten in place when only the wording
# changed.
ROW_FIELDS = (
    "rule_version",
    "status",
    "value",
    "labels",
    "reasons",
    "missing",
    "citations",
    "alerts",
    "alert_level",
    "mandatory_report",
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


@dataclass
class _Plan:
    """What storing one child's evaluation takes: rows kept (reworded in place), rows
    ended, rows created, and the rules whose result changed."""

    kept: list[tuple[Classification, dict[str, Any]]] = field(default_factory=list)
    ended: list[Classification] = field(default_factory=list)
    created: list[Classification] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    current: list[Classification] = field(default_factory=list)


def _plan(
    child: Child, evaluation: Any, current: dict[str, Classification], asof: dt.date
) -> _Plan:
    """Compare an evaluation with the child's current rows (pure: writes nothing)."""
    current = dict(current)
    plan = _Plan()
    for outcome in evaluation.outcomes:
        data = outcome_to_json(outcome, messages=False)
        fields = _row_fields(data)
        old = current.pop(outcome.rule_id, None)
        if old is not None and _stored_meaning(old) == _meaning(data):
            plan.kept.append((old, fields))
            plan.current.append(old)
            continue
        if old is not None:
            plan.ended.append(old)
        row = Classification(child=child, rule_id=outcome.rule_id, asof=asof, **fields)
        plan.created.append(row)
        plan.current.append(row)
        plan.changed.append(outcome.rule_id)
    for leftover in current.values():  # a rule no longer in force on asof
        plan.ended.append(leftover)
        plan.changed.append(leftover.rule_id)
    return plan


def _classified_event(changed: list[str], asof: dt.date) -> dict[str, Any]:
    return {"rules": sorted(changed), "asof": asof.isoformat()}


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
    plan = _plan(child, evaluation, current, asof)
    for old, fields in plan.kept:
        for name, value in fields.items():
            setattr(old, name, value)
        old.asof = asof
        old.save(update_fields=[*fields, "asof"])
    for old in plan.ended:
        old.ended_at = now
        old.save(update_fields=["ended_at"])
    for row in plan.created:
        row.save(force_insert=True)
    if plan.changed:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CHILD_CLASSIFIED,
            target=child,
            area=child.village,
            extra=_classified_event(plan.changed, asof),
        )
    return Classified(changed=plan.changed, current=plan.current)


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

    Children are taken ``batch`` at a time: their facts read in a few queries, the rules
    evaluated in Python, and what changed written in bulk with one audit event per child
    whose results changed, in one transaction per batch (``_classify_batch``): the same
    rows and events as ``child_classify`` child by child. Should a batch fail, it is
    redone child by child, each in its own transaction, so one bad record does not undo
    the night's work. Returns (children evaluated, children whose classifications changed).
    """
    actor = SystemActor("rules-scheduler")
    asof = asof or timezone.localdate()
    qs = children if children is not None else Child.objects.all()
    qs = qs.select_related("household", "county", "village").order_by("pk")
    seen = changed = 0
    last_pk = 0
    while True:
        chunk = list(qs.filter(pk__gt=last_pk)[:batch])
        if not chunk:
            return seen, changed
        try:
            changed += _classify_batch(actor=actor, children=chunk, asof=asof)
        except Exception:  # redone child by child below: the bad one raises there
            for child in chunk:
                if child_classify(actor=actor, child=child, asof=asof).changed:
                    changed += 1
        seen += len(chunk)
        last_pk = chunk[-1].pk


@transaction.atomic
def _classify_batch(*, actor: SystemActor, children: list[Child], asof: dt.date) -> int:
    """``child_classify`` for many children at once, in a fixed number of queries.
    Returns the number of children whose classifications changed."""
    situations = situations_for_children(children, asof=asof)
    params = rule_parameters()
    current: dict[int, dict[str, Classification]] = {child.pk: {} for child in children}
    for row in Classification.objects.select_for_update().filter(
        child_id__in=list(current), ended_at__isnull=True
    ):
        current[row.child_id][row.rule_id] = row
    now = timezone.now()
    same: list[int] = []
    reworded: list[Classification] = []
    ended: list[int] = []
    created: list[Classification] = []
    events: list[tuple[Child, Any, dict[str, Any]]] = []
    for child in children:
        evaluation = evaluate_all(situations[child.pk], params)
        plan = _plan(child, evaluation, current[child.pk], asof)
        for old, fields in plan.kept:
            if all(getattr(old, name) == value for name, value in fields.items()):
                same.append(old.pk)
                continue
            for name, value in fields.items():
                setattr(old, name, value)
            old.asof = asof
            reworded.append(old)
        ended.extend(old.pk for old in plan.ended)
        created.extend(plan.created)
        if plan.changed:
            events.append((child, child.village, _classified_event(plan.changed, asof)))
    if same:
        Classification.objects.filter(pk__in=same).update(asof=asof)
    if reworded:
        _rewrite(reworded, [*ROW_FIELDS, "asof"])
    if ended:
        Classification.objects.filter(pk__in=ended).update(ended_at=now)
    if created:
        Classification.objects.bulk_create(created, batch_size=1000)
    if events:
        audit_record_many(actor=actor, action=AuditEvent.Action.CHILD_CLASSIFIED, targets=events)
    return len(events)


def _rewrite(rows: list[Classification], fields: list[str]) -> None:
    """Write ``fields`` of many rows in one statement run for each row (``executemany``:
    one pipelined round trip on PostgreSQL). ``bulk_update`` would build a ``CASE`` per
    row and field, which takes seconds of Python for a batch of 500 children."""
    meta = Classification._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608  (names from the model)
        quote(meta.db_table),
        ", ".join(f"{quote(column.column)} = %s" for column in columns),
        quote(meta.pk.column),
    )
    params = [
        [column.get_db_prep_save(getattr(row, column.attname), connection) for column in columns]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
