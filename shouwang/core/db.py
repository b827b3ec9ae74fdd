"""Database helpers with no domain knowledge."""

from django.db import connection, models


def analyze(*model_classes: type[models.Model]) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load (the demo, an import): until
    autovacuum gets to it, a freshly filled table looks empty to the planner, and a join over
    it was measured running for minutes instead of milliseconds (docs/benchmarks.md)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in model_classes:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
