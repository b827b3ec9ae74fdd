"""Database helpers with no domain knowledge."""

from django.db import connection, models


def analyze(*model_classes: type[models.Model], keys_only: bool = False) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load (the demo, an import): until
    autovacuum gets to it, a freshly filled table looks empty to the planner, and a join over
    it was measured running for minutes instead of milliseconds (docs/benchmarks.md).

    ``keys_only``: only the columns some index covers — the row counts and what joins and
    filters on keys need, in about half the time. PostgreSQL then still counts the table's
    rows as changed since its last full ``ANALYZE``, so autovacuum makes the full
    statistics soon after, in the background."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in model_classes]
    with connection.cursor() as cursor:
        columns: dict[str, list[str]] = {}
        if keys_only:
            cursor.execute(
                "SELECT c.relname, array_agg(DISTINCT a.attname ORDER BY a.attname) "
                "FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE c.oid = ANY(%s::regclass[]) GROUP BY c.relname",
                [tables],
            )
            columns = dict(cursor.fetchall())
        for table in tables:
            listed = ", ".join(f'"{name}"' for name in columns.get(table, []))
            cursor.execute(f'ANALYZE "{table}"' + (f" ({listed})" if listed else ""))
