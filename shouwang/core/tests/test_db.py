"""``core.db.analyze``: planner statistics after a bulk load (PostgreSQL)."""

import pytest
from django.db import connection

from shouwang.core.db import analyze
from shouwang.geo.models import Area
from shouwang.testing.factories import make_area

pytestmark = pytest.mark.django_db(transaction=True)


def _stats() -> tuple[set[str], float]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname FROM pg_stats WHERE tablename = %s", ["geo_area"])
        columns = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", ["geo_area"])
        return columns, cursor.fetchone()[0]


@pytest.fixture
def areas() -> int:
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    county = make_area(None, "county", "410322000000", "L县")
    for t in range(30):
        make_area(county, "township", f"4103221{t:02d}000", f"T{t}镇")
    return Area.objects.count()


def test_keys_only_counts_the_rows_and_covers_the_indexed_columns_alone(areas: int) -> None:
    analyze(Area, keys_only=True)
    columns, rows = _stats()
    assert rows == areas
    assert {"id", "code", "path", "parent_id"} <= columns
    assert "name_zh" not in columns  # no index: left to autovacuum's full ANALYZE
    assert "latitude" not in columns


def test_a_full_analyze_covers_every_column(areas: int) -> None:
    analyze(Area)
    columns, rows = _stats()
    assert rows == areas
    assert {"id", "code", "name_zh", "latitude"} <= columns
