"""PostgreSQL: a chunk of new children written through one unindexed staging table.

Each child is one wide row (its household, the child, father, mother, caregiver, the care
arrangement, its audit event's details) in a temporary table without indexes or keys,
loaded with one binary ``COPY``; ``INSERT … SELECT`` statements, sent together as one
query, then write the eight registry tables from it on the server. Python thus hands over
one row per child instead of about eleven, psycopg encodes it in C, the server does not
parse text, and each chunk costs two round trips. The values are exactly those
``services._write`` gives the ``executemany`` path (SQLite), which stays the reference:
the tests compare both with the registration service on both databases.

Runs on the writer thread (``bulk.Writer.query``), inside the import's transaction; the
staging table is dropped at commit or rollback (``ON COMMIT DROP``) and emptied after
each chunk.
"""

import io
import re
import time
from collections.abc import Sequence
from typing import Any

import psycopg
from django.db import connection, models
from psycopg import postgres
from psycopg.adapt import Dumper
from psycopg.copy import FileWriter
from psycopg.pq import Format

from shouwang.audit.models import AuditEvent
from shouwang.imports import bulk
from shouwang.imports.models import ImportedRecord
from shouwang.imports.services import CHILD_VALUES, PERSON_COLUMNS
from shouwang.registry.domain import PARENT_SITUATION_FACTS
from shouwang.registry.models import (
    CareArrangement,
    Child,
    ChildRelation,
    Household,
    ParentAbsence,
    Person,
)

TABLE = "census_stage"

PARENT_FIELDS = (
    "id",
    "public_id",
    "name",
    "name_pinyin",
    "name_initials",
    "phone",
    "birth_year",
    "situation",
    "lacks_guardianship_capacity",
    "incapacity_reason",
    *PARENT_SITUATION_FACTS,
)
ABSENCE_FIELDS = ("work_place", "since", "return_pattern", "contact_channel")
CARER_FIELDS = (
    "id",
    "public_id",
    "name",
    "name_pinyin",
    "name_initials",
    "sex",
    "phone",
    "birth_year",
    "health",
    "literacy",
    "self_supporting",
    "infectious_disease",
)
CHILD_FIELDS = ("id", "public_id", *CHILD_VALUES)  # one list, with the other path
HOUSEHOLD_FIELDS = (
    "id",
    "public_id",
    "address",
    "main_income_source",
    "dibao",
    "tekun",
    "poverty_registered",
)
CARE_FIELDS = (
    "caregiver_id",
    "category",
    "since",
    "has_care_capacity",
    "notice_to_school_on",
    "notice_to_village_on",
    "disqualifiers_checked",
    "disqualifiers",
    "child_views_heard",
)


def _field(model: type[models.Model], attname: str) -> models.Field:
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


# (stage column, the model field it holds): the staging table's columns, in COPY order.
COLUMNS: list[tuple[str, models.Field]] = [
    *((f"h_{a}", _field(Household, a)) for a in HOUSEHOLD_FIELDS),
    *((f"c_{a}", _field(Child, a)) for a in CHILD_FIELDS),
    *((f"{p}_{a}", _field(Person, a)) for p in ("f", "m") for a in PARENT_FIELDS),
    *((f"{p}_away", models.BooleanField()) for p in ("f", "m")),  # a period away to write
    *((f"{p}_a_{a}", _field(ParentAbsence, a)) for p in ("f", "m") for a in ABSENCE_FIELDS),
    ("k_relation", _field(ChildRelation, "relation")),
    *((f"k_{a}", _field(Person, a)) for a in CARER_FIELDS),
    *((f"care_{a}", _field(CareArrangement, a)) for a in CARE_FIELDS),
    ("e_extra", _field(AuditEvent, "extra")),
    ("r_row", _field(ImportedRecord, "row_number")),
    ("r_fingerprint", _field(ImportedRecord, "fingerprint")),
]


def _type(field: models.Field) -> str:
    if isinstance(field, models.ForeignKey):
        return field.target_field.rel_db_type(connection)  # type: ignore[union-attr]
    return field.db_type(connection) or "text"


# The staging table's own column order (``COPY`` names its columns, so the rows keep
# ``COLUMNS`` order). Each ``INSERT … SELECT`` makes the server unpack every row up to the
# last column it reads; the statements reading a few columns (the relations, the imported
# records, the care arrangements, the audit events, the periods away) find theirs first,
# so most of the eight passes stop early: a few per cent of their time (a 10,000-row
# replay: 1,027–1,108 ms instead of 1,112–1,122 ms).
EARLY = (
    "c_id",
    "f_id",
    "m_id",
    "h_id",
    "k_id",
    "k_relation",
    "r_row",
    "r_fingerprint",
    "c_county_id",
    *(f"care_{a}" for a in CARE_FIELDS),
    "c_public_id",
    "c_village_id",
    "e_extra",
    "f_away",
    "m_away",
    *(f"{p}_a_{a}" for p in ("f", "m") for a in ABSENCE_FIELDS),
)


def create_sql() -> str:
    order = {name: i for i, name in enumerate(EARLY)}
    stored = sorted(COLUMNS, key=lambda c: order.get(c[0], len(order)))  # stable
    cols = ", ".join(f'"{name}" {_type(field)}' for name, field in stored)
    return f'CREATE TEMPORARY TABLE IF NOT EXISTS "{TABLE}" ({cols}) ON COMMIT DROP'


class _UUIDText(Dumper):
    """A UUID given in its text form, sent in PostgreSQL's binary form (16 bytes): the
    import makes its public IDs as text (``bulk.uuid4_strings``)."""

    format = Format.BINARY
    oid = postgres.types["uuid"].oid

    def dump(self, obj: str) -> bytes:
        return bytes.fromhex(obj.replace("-", ""))


# binary COPY sends no type: each value must be in its staging column's binary form, and
# ``varchar(n)`` takes ``text``'s
_VARCHAR = (postgres.types["varchar"].oid, postgres.types["bpchar"].oid)
_TEXT = postgres.types["text"].oid


def _insert(
    model: type[models.Model],
    select: list[tuple[str, str]],
    source: str,
    params: list[Any],
    source_params: list[Any],
) -> tuple[str, list[Any]]:
    """``INSERT INTO model (…) SELECT …``: the given columns (SQL over the staging table
    ``s``, or ``%s``), every other column at its model default (a parameter)."""
    given = {name for name, _sql in select}
    pk = model._meta.pk
    defaults = bulk.defaults(model)
    names = [name for name, _sql in select]
    # a parameter is cast to its column's type (psycopg sends a text or an untyped value)
    exprs = [_cast(_field(model, n)) if sql == "%s" else sql for n, sql in select]
    values: list[Any] = []
    for f in model._meta.concrete_fields:
        if f.attname in given or f is pk:
            continue
        names.append(f.attname)
        exprs.append(_cast(f))
        values.append(_param(f, defaults[f.attname]))
    columns = ", ".join(f'"{model._meta.get_field(n).column}"' for n in names)
    sql = f'INSERT INTO "{model._meta.db_table}" ({columns}) SELECT {", ".join(exprs)} {source}'
    # parameters in the order they appear: the select list's, the defaults, the source's
    return sql, [*params, *values, *source_params]


def _cast(field: models.Field) -> str:
    return f"CAST(%s AS {_type(field)})"


def _p(attname: str) -> str:
    """A parameter for a ``Person`` column, cast to its type."""
    return _cast(_field(Person, attname))


def _param(field: models.Field, value: Any) -> Any:
    if isinstance(field, models.JSONField) and value is not None:
        return field.get_db_prep_value(value, connection)
    return value


def statements(
    *, now: Any, today: Any, user_id: int | None, actor_label: str, job_id: int
) -> list[tuple[str, str, list[Any]]]:
    """(table, SQL, parameters) writing the eight tables from the staging table."""
    src = f'FROM "{TABLE}" s'
    out: list[tuple[str, str, list[Any]]] = []

    def add(
        model: type[models.Model],
        select: list[tuple[str, str]],
        source: str,
        params: list[Any],
        source_params: list[Any] | None = None,
    ) -> None:
        sql, values = _insert(model, select, source, params, source_params or [])
        out.append((model._meta.db_table, sql, values))

    stamp = [("created_at", "%s"), ("updated_at", "%s")]
    add(
        Household,
        [
            ("id", "s.h_id"),
            ("public_id", "s.h_public_id"),
            *stamp,
            ("village_id", "s.c_village_id"),
            *((a, f"s.h_{a}") for a in HOUSEHOLD_FIELDS[2:]),
        ],
        src + " ORDER BY s.h_id",
        [now, now],
    )
    parents = []
    params: list[Any] = []
    for p, sex in (("f", "male"), ("m", "female")):
        parents.append(
            "SELECT "
            + ", ".join(
                [
                    f"s.{p}_id",
                    f"s.{p}_public_id",
                    _p("created_at"),
                    _p("updated_at"),
                    "s.h_id",
                    f"s.{p}_name",
                    f"s.{p}_name_pinyin",
                    f"s.{p}_name_initials",
                    _p("sex"),
                    f"s.{p}_phone",
                    f"s.{p}_birth_year",
                    f"s.{p}_situation",
                    f"s.{p}_lacks_guardianship_capacity",
                    f"s.{p}_incapacity_reason",
                    *(f"s.{p}_{a}" for a in PARENT_SITUATION_FACTS),
                    _p("health"),
                    _p("literacy"),
                    _p("self_supporting"),
                    _p("infectious_disease"),
                ]
            )
            + f" {src}"
        )
        person_defaults = bulk.defaults(Person)
        params += [
            now,
            now,
            sex,
            person_defaults["health"],
            person_defaults["literacy"],
            person_defaults["self_supporting"],
            person_defaults["infectious_disease"],
        ]
    person_defaults = bulk.defaults(Person)
    carer = (
        "SELECT "
        + ", ".join(
            [
                "s.k_id",
                "s.k_public_id",
                _p("created_at"),
                _p("updated_at"),
                "s.h_id",
                "s.k_name",
                "s.k_name_pinyin",
                "s.k_name_initials",
                "s.k_sex",
                "s.k_phone",
                "s.k_birth_year",
                _p("situation"),
                _p("lacks_guardianship_capacity"),
                _p("incapacity_reason"),
                *(_p(a) for a in PARENT_SITUATION_FACTS),
                "s.k_health",
                "s.k_literacy",
                "s.k_self_supporting",
                "s.k_infectious_disease",
            ]
        )
        + f" {src} WHERE s.k_id IS NOT NULL"
    )
    params += [
        now,
        now,
        Person.Situation.AT_HOME.value,
        person_defaults["lacks_guardianship_capacity"],
        person_defaults["incapacity_reason"],
        *(person_defaults[a] for a in PARENT_SITUATION_FACTS),
    ]
    person_cols = PERSON_COLUMNS  # the per-table path's list: the selects above follow it
    union = " UNION ALL ".join([*parents, carer])
    add(
        Person,
        [(c, f"u.{c}") for c in person_cols],
        f"FROM ({union}) u ({', '.join(person_cols)}) ORDER BY u.id",
        [],
        params,
    )
    add(
        Child,
        [
            *((a, f"s.c_{a}") for a in CHILD_FIELDS[:2]),
            *stamp,
            *((a, f"s.c_{a}") for a in CHILD_FIELDS[2:]),
            ("last_verified_on", "%s"),
            ("registered_by_id", "%s"),
        ],
        src + " ORDER BY s.c_id",
        [now, now, today, user_id],
    )
    add(
        ChildRelation,
        [("child_id", "u.c"), ("person_id", "u.p"), ("relation", "u.r")],
        f"FROM (SELECT s.c_id, s.f_id, 'father' {src} UNION ALL "
        f"SELECT s.c_id, s.m_id, 'mother' {src} UNION ALL "
        f"SELECT s.c_id, s.k_id, s.k_relation {src} WHERE s.k_id IS NOT NULL) u (c, p, r)",
        [],
    )
    add(
        ParentAbsence,
        [("person_id", "u.p"), *((a, f"u.{a}") for a in ABSENCE_FIELDS)],
        " ".join(
            [
                f"FROM (SELECT s.f_id, {', '.join(f's.f_a_{a}' for a in ABSENCE_FIELDS)} {src}",
                "WHERE s.f_away UNION ALL",
                f"SELECT s.m_id, {', '.join(f's.m_a_{a}' for a in ABSENCE_FIELDS)} {src}",
                f"WHERE s.m_away) u (p, {', '.join(ABSENCE_FIELDS)})",
            ]
        ),
        [],
    )
    add(
        CareArrangement,
        [("child_id", "s.c_id"), *((a, f"s.care_{a}") for a in CARE_FIELDS)],
        src,
        [],
    )
    add(
        AuditEvent,
        [
            ("actor_id", "%s"),
            ("actor_label", "%s"),
            ("action", "%s"),
            ("target_type", "%s"),
            ("target_id", "s.c_public_id::text"),
            ("area_id", "s.c_village_id"),
            ("occurred_at", "%s"),
            ("extra", "s.e_extra"),
        ],
        src + " ORDER BY s.c_id",
        [
            user_id,
            actor_label,
            AuditEvent.Action.CHILD_REGISTERED.value,
            Child._meta.label_lower,
            now,
        ],
    )
    add(
        ImportedRecord,
        [
            ("job_id", "%s"),
            ("child_id", "s.c_id"),
            ("county_id", "s.c_county_id"),
            ("row_number", "s.r_row"),
            ("fingerprint", "s.r_fingerprint"),
        ],
        src + " WHERE s.r_fingerprint IS NOT NULL",
        [job_id],
    )
    return out


class Loader:
    """Writes each chunk through the staging table, in two steps.

    ``encode`` (the caller's thread): the chunk's rows as a binary ``COPY`` payload,
    encoded in C by psycopg (a ``Copy`` writing to memory). The rows' types are the
    staging columns'; public IDs are given as text.

    ``load`` (the writer thread): fill the staging table with it, write the eight tables
    with one query, empty it. The first chunk joins the ``INSERT``s (``statements``) into
    that query, their parameters (this import's times, actor and job) quoted by psycopg's
    client-side binding. ``seconds``: time spent on each, for the benchmark."""

    def __init__(
        self, raw: psycopg.Connection, writes: list[tuple[str, str, list[Any]]], seconds: dict
    ) -> None:
        self.writes = writes
        self.sql = ""
        self.seconds = seconds
        self.types = [_oid(field) for _name, field in COLUMNS]
        # made now, on the caller's thread (no input or output: only its adapters are used)
        self.encoder = raw.cursor()
        self.encoder.adapters.register_dumper(None, _UUIDText)

    def encode(self, rows: Sequence[tuple]) -> bytes:
        out = io.BytesIO()
        with psycopg.Copy(self.encoder, binary=True, writer=FileWriter(out)) as copy:
            copy.set_types(self.types)
            for row in rows:
                copy.write_row(row)
        return out.getvalue()

    def load(self, cursor: Any, payload: bytes) -> None:
        t0 = time.perf_counter()
        if not self.sql:  # the first chunk of this import (this transaction)
            cursor.execute(create_sql())
            client = psycopg.ClientCursor(cursor.connection)
            statements = [client.mogrify(sql, params) for _table, sql, params in self.writes]
            self.sql = ";\n".join([*statements, f'TRUNCATE "{TABLE}"'])
        columns = ", ".join(f'"{name}"' for name, _f in COLUMNS)
        with cursor.copy(f'COPY "{TABLE}" ({columns}) FROM STDIN (FORMAT BINARY)') as copy:
            copy.write(payload)
        t1 = time.perf_counter()
        cursor.execute(self.sql)
        self.seconds[TABLE] = self.seconds.get(TABLE, 0.0) + t1 - t0
        self.seconds["tables"] = self.seconds.get("tables", 0.0) + time.perf_counter() - t1


def _oid(field: models.Field) -> int:
    """The type of the staging column holding ``field``, for binary ``COPY``."""
    oid = postgres.types.get_oid(re.sub(r"\(.*\)$", "", _type(field)))
    return _TEXT if oid in _VARCHAR else oid
