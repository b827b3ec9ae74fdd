"""Writing many rows of a few tables fast, the same on SQLite and PostgreSQL.

Rows are plain dicts keyed by field attname, with their primary keys given up front
(reserved from the PostgreSQL sequence, or above the current maximum on SQLite, whose
single writer lock is held by then), so foreign keys between the batches are known
without a round trip per row. PostgreSQL loads with ``COPY``; other databases with
``executemany``. Fields a row leaves out take their model default.
"""

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED

POSTGRES = "postgresql"


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model`` (inside the caller's transaction)."""
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        if connection.vendor == POSTGRES:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')  # noqa: S608
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _defaults(model: type[models.Model]) -> dict[str, Any]:
    """Each field's default (``""`` for a text field without one, else ``None``)."""
    return {
        f.attname: f.get_default()
        for f in model._meta.concrete_fields
        if f.default is NOT_PROVIDED or not callable(f.default)
    }


def _converter(field: models.Field) -> Any:
    """How one value is handed to the database driver."""
    if isinstance(field, models.JSONField):
        return lambda v: json.dumps(v, ensure_ascii=False)
    if connection.vendor == POSTGRES:
        return None
    if isinstance(field, models.UUIDField):
        return lambda v: v.hex
    if isinstance(field, models.DateTimeField):
        memo: dict[Any, Any] = {}  # a batch carries one or two timestamps

        def convert(v: Any) -> Any:
            if v not in memo:
                memo[v] = field.get_db_prep_save(v, connection)
            return memo[v]

        return convert
    if isinstance(field, models.DateField):
        return lambda v: v.isoformat()
    return None


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    pk = model._meta.pk
    fields = [
        f for f in model._meta.concrete_fields if f is not pk or pk.attname in rows[0]
    ]  # without given keys, the database numbers the rows
    names = [f.attname for f in fields]
    columns = [f.column for f in fields]
    defaults = _defaults(model)
    converters = [_converter(f) for f in fields]
    table = model._meta.db_table

    def tuples() -> Iterable[tuple[Any, ...]]:
        for row in rows:
            merged = defaults | row
            values = []
            for name, convert in zip(names, converters, strict=True):
                value = merged[name]
                values.append(
                    convert(value) if convert is not None and value is not None else value
                )
            yield tuple(values)

    quoted = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == POSTGRES:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for values in tuples():
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})',  # noqa: S608
                list(tuples()),
            )
