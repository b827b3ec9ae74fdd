"""Benchmark: the nightly ``shouwang rules reevaluate`` over a whole county.

Target: 50,000 children in a few minutes on PostgreSQL. Child by child (one transaction
and 12-13 queries each) the job took 5-6 minutes a night on a calm machine and did not
finish within 25 minutes on a loaded one. Run:

    scripts/with-postgres .venv/bin/pytest -m benchmark bench/test_reevaluate_bench.py -s \
        -p no:cacheprovider
    .venv/bin/pytest -m benchmark bench/test_reevaluate_bench.py -s -p no:cacheprovider     # SQLite

The demo generator builds the county; then three nights are timed: the first (every
result new: 7 rows and one audit event per child), the same night again (nothing changes,
every row's ``asof`` is rewritten), and a night half a year later (birthdays, weeks
without a logged contact: results superseded and reworded). For comparison, the
child-by-child path (``child_classify``, one transaction per child, what the job did
before it worked in batches) is timed on the first ``SAMPLE`` children of that last night.
Results are recorded in docs/benchmarks.md.
"""

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from shouwang.audit.services import SystemActor
from shouwang.demo.generator import demo_generate
from shouwang.registry.models import Child
from shouwang.rules.models import Classification
from shouwang.rules.services import child_classify, children_reevaluate

TODAY = dt.date(2026, 11, 29)
LATER = dt.date(2027, 6, 2)
SAMPLE = 1_000


@contextmanager
def _counting() -> Iterator[list[int]]:
    """Count the statements sent (without keeping them, unlike CaptureQueriesContext)."""
    count = [0]

    def counter(execute: Callable[..., Any], *args: Any) -> Any:
        count[0] += 1
        return execute(*args)

    with connection.execute_wrapper(counter):
        yield count


def _night(asof: dt.date) -> tuple[float, int, int, int]:
    with _counting() as queries:
        started = time.perf_counter()
        seen, changed = children_reevaluate(asof=asof)
        took = time.perf_counter() - started
    return took, seen, changed, queries[0]


@pytest.mark.benchmark
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("children", [5_000, 50_000])
def test_nightly_reevaluation(children: int) -> None:
    demo_generate(children=children, today=TODAY)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    nights = [
        ("first night", _night(TODAY)),
        ("same night again", _night(TODAY)),
        ("half a year later", _night(LATER)),
    ]
    rows = Classification.objects.count()
    # The path before batching, on a sample: a later night again, child by child.
    actor = SystemActor("rules-scheduler")
    sample = list(
        Child.objects.select_related("household", "county", "village").order_by("pk")[:SAMPLE]
    )
    later = LATER + dt.timedelta(days=30)
    with _counting() as queries:
        started = time.perf_counter()
        for child in sample:
            child_classify(actor=actor, child=child, asof=later)
        per_child = time.perf_counter() - started
    print(f"\n{connection.vendor}, {children:,} children ({rows:,} classification rows):")
    for label, (took, seen, changed, n) in nights:
        print(
            f"  {label:<18} {took:7.1f} s  {seen / took:7.0f} children/s  "
            f"changed {changed:,}  {n / seen:.3f} queries/child"
        )
    print(
        f"  child by child     {per_child:7.1f} s for {len(sample):,}: "
        f"{len(sample) / per_child:7.0f} children/s  {queries[0] / len(sample):.1f} queries/child"
    )
    assert all(seen == children for _label, (_t, seen, _c, _n) in nights)
