"""Benchmark: 50,000 children (a county's worth) generated in under two minutes.

The requirement is for this 2-core machine, on SQLite and on PostgreSQL:

    pytest -m benchmark bench/test_demo_generate.py -s
    scripts/with-postgres pytest -m benchmark bench/test_demo_generate.py -s

pytest-django creates the test database (in memory for SQLite; ``shouwang demo`` itself
writes to a file, which the measured times in docs/demo.md also cover).
"""

import datetime as dt
import time

import pytest
from django.db import connection

from shouwang.demo.generator import demo_generate
from shouwang.registry.models import Child

CHILDREN = 50_000
LIMIT_SECONDS = 120.0


@pytest.mark.benchmark
@pytest.mark.django_db
def test_it_generates_50000_children_in_under_two_minutes() -> None:
    started = time.perf_counter()
    summary = demo_generate(children=CHILDREN, today=dt.date(2026, 3, 1))
    seconds = time.perf_counter() - started

    print(
        f"\ndemo_generate on {connection.vendor}: {summary.children:,} children, "
        f"{summary.rows:,} registry rows in {seconds:.1f} s "
        f"({summary.rows / seconds:,.0f} rows/s, {summary.children / seconds:,.0f} children/s)"
    )
    assert Child.objects.count() == CHILDREN
    assert seconds < LIMIT_SECONDS
