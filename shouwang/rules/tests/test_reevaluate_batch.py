"""The nightly job works a batch of children at a time; it must store exactly what
``child_classify``, child by child, stores: the same current and superseded rows, and the
same audit events."""

import datetime as dt
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor
from shouwang.demo.generator import demo_generate
from shouwang.registry.models import Child
from shouwang.rules import services
from shouwang.rules.models import Classification
from shouwang.rules.services import child_classify, children_reevaluate

TODAY = dt.date(2026, 11, 29)
# Half a year on: birthdays, six months of lost contact, weeks without a logged contact.
LATER = dt.date(2027, 6, 2)


def _state() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    def js(value: object) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    rows = sorted(
        (
            c.child_id,
            c.rule_id,
            c.rule_version,
            c.status,
            c.value,
            js(c.labels),
            js(c.reasons),
            js(c.missing),
            js(c.citations),
            js(c.alerts),
            c.alert_level,
            c.mandatory_report,
            c.asof,
            c.ended_at is None,
        )
        for c in Classification.objects.all()
    )
    events = sorted(
        (e.actor_id, e.actor_label, e.target_type, e.target_id, e.area_id, js(e.extra))
        for e in AuditEvent.objects.filter(action=AuditEvent.Action.CHILD_CLASSIFIED)
    )
    return rows, events


def _child_by_child(asof: dt.date) -> None:
    actor = SystemActor("rules-scheduler")
    for child in Child.objects.select_related("household", "county", "village").order_by("pk"):
        child_classify(actor=actor, child=child, asof=asof)


def _per_child_result(asof: dt.date) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """What the child-by-child path would leave, then undone."""
    savepoint = transaction.savepoint()
    _child_by_child(asof)
    expected = _state()
    transaction.savepoint_rollback(savepoint)
    return expected


@pytest.fixture
def town(db: None) -> None:
    demo_generate(children=120, today=TODAY)


def test_the_first_evaluation_in_batches_equals_child_by_child(town: None) -> None:
    expected = _per_child_result(TODAY)
    assert expected[0]  # something to compare
    assert children_reevaluate(asof=TODAY, batch=17) == (Child.objects.count(), len(expected[1]))
    assert _state() == expected


def test_a_later_night_in_batches_equals_child_by_child(
    town: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _child_by_child(TODAY)
    before = _state()
    expected = _per_child_result(LATER)
    assert expected != before
    assert sum(1 for row in expected[0] if not row[-1]) > 0  # results superseded
    rewritten: list[Classification] = []
    rewrite = services._rewrite

    def spy(rows: list[Classification], fields: list[str]) -> None:
        rewritten.extend(rows)
        rewrite(rows, fields)

    monkeypatch.setattr(services, "_rewrite", spy)
    seen, changed = children_reevaluate(asof=LATER, batch=17)
    assert seen == Child.objects.count()
    assert changed == len(expected[1]) - len(before[1]) > 0
    assert rewritten  # results reworded in place, too
    assert _state() == expected


def test_a_failed_batch_is_redone_child_by_child(
    town: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _per_child_result(TODAY)

    def broken(**_kwargs: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "_classify_batch", broken)
    children_reevaluate(asof=TODAY, batch=50)
    assert _state() == expected


def test_a_batch_reads_and_writes_in_a_fixed_number_of_queries(town: None) -> None:
    """Whatever its size (rows reworded in place are written 100 per statement; the same
    night again rewords nothing)."""
    _child_by_child(TODAY)
    actor = SystemActor("rules-scheduler")
    children = list(Child.objects.select_related("household", "county", "village").order_by("pk"))

    def queries(chunk: list[Child]) -> int:
        with CaptureQueriesContext(connection) as captured:
            services._classify_batch(actor=actor, children=chunk, asof=TODAY)
        return len(captured)

    # Four reads (relations, care, contacts, current results), one write (``asof``), and
    # the batch's savepoint.
    assert queries(children[:10]) == queries(children[10:110]) <= 7
