"""The bulk writer (COPY on PostgreSQL, executemany elsewhere) and the memoised row parser."""

import datetime as dt
import random
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from shouwang.imports import bulk
from shouwang.imports.columns import COLUMNS, RowParser, parse_row
from shouwang.imports.synthetic import census_rows
from shouwang.registry.models import Household
from shouwang.testing.factories import make_area

pytestmark = pytest.mark.django_db(transaction=True)

COLUMNS_WRITTEN = ("id", "public_id", "created_at", "updated_at", "village_id", "address")


def _village():
    county = make_area(None, "county", "410322000000", "L县")
    town = make_area(county, "township", "410322100000", "T镇")
    return make_area(town, "village", "410322100200", "东王村")


def test_text_needing_escapes_and_defaults_arrive_unchanged() -> None:
    village = _village()
    now = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)
    odd = ["a\\b", "tab\there", "two\nlines", "cr\r", "\\N", "", "普通"]
    ids = bulk.reserve_ids(Household, len(odd))
    uuids = bulk.uuid4_strings(len(odd))
    with transaction.atomic(), bulk.Writer() as writer:
        writer.insert(
            Household,
            COLUMNS_WRITTEN,
            [
                (i, u, now, now, village.pk, text)
                for i, u, text in zip(ids, uuids, odd, strict=True)
            ],
        )
    got = {h.pk: h for h in Household.objects.all()}
    for i, u, text in zip(ids, uuids, odd, strict=True):
        assert got[i].address == text
        assert got[i].public_id == uuid.UUID(u)
        assert got[i].created_at == now
        assert got[i].dibao is False  # left to the model default
        assert got[i].main_income_source == ""


def test_uuid4_strings_are_version_4_and_distinct() -> None:
    values = bulk.uuid4_strings(1000)
    assert len(set(values)) == 1000
    assert all(uuid.UUID(v).version == 4 and str(uuid.UUID(v)) == v for v in values)


def test_a_failed_table_leaves_nothing_written() -> None:
    village = _village()
    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    same = str(uuid.uuid4())
    ids = bulk.reserve_ids(Household, 3)
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.Writer() as writer:
        writer.insert(
            Household, COLUMNS_WRITTEN, [(ids[0], str(uuid.uuid4()), now, now, village.pk, "x")]
        )
        writer.insert(
            Household,
            COLUMNS_WRITTEN,
            [(i, same, now, now, village.pk, "dup") for i in ids[1:]],  # public_id is unique
        )
    assert not Household.objects.exists()


def test_an_urgent_query_goes_before_the_writes_waiting() -> None:
    """A look-up (``urgent``) runs as soon as the statement being run ends, before the
    writes already waiting; writes keep their order."""
    from django.db import connection  # noqa: PLC0415

    if connection.vendor != "postgresql":
        pytest.skip("other databases run each query at once, in the caller's thread")
    order: list[str] = []
    gate = threading.Event()
    with transaction.atomic(), bulk.Writer() as writer:
        writer.query(lambda _c: gate.wait(10))  # the writer thread is busy with this
        writer.query(lambda _c: order.append("write 1"))
        writer.query(lambda _c: order.append("write 2"))
        answer = writer.query(lambda _c: order.append("look-up") or "found", urgent=True)
        gate.set()
        assert writer.result(answer) == "found"
    assert order == ["look-up", "write 1", "write 2"]


def _backend_and_households(cursor: Any) -> tuple[int, int]:
    cursor.execute("SELECT pg_backend_pid(), (SELECT count(*) FROM registry_household)")
    return tuple(cursor.fetchone())


def test_committed_work_runs_beside_the_writes_only_when_nothing_else_is_uncommitted() -> None:
    """``Writer.committed``: with the import's transaction the outermost, on a second
    connection, which does not see the rows being written; inside an outer transaction
    (whose rows a second connection could not see either), on the import's own."""
    from django.db import connection  # noqa: PLC0415

    if connection.vendor != "postgresql":
        pytest.skip("other databases run each query at once, in the caller's thread")
    village = _village()
    now = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)
    row = (*bulk.reserve_ids(Household, 1), bulk.uuid4_strings(1)[0], now, now, village.pk, "")
    with transaction.atomic():
        own = _backend_and_households(connection.cursor())[0]
        with bulk.Writer() as writer:
            writer.insert(Household, COLUMNS_WRITTEN, [row])
            assert writer.result(writer.query(_backend_and_households)) == (own, 1)
            side, seen = writer.result(writer.committed(_backend_and_households))
            assert side != own
            assert seen == 0  # not committed yet
        transaction.set_rollback(True)
    with transaction.atomic(), transaction.atomic(), bulk.Writer() as writer:
        writer.insert(Household, COLUMNS_WRITTEN, [row])
        writer.result(writer.query(_backend_and_households))  # the insert has ended
        assert writer.result(writer.committed(_backend_and_households)) == (own, 1)
    assert Household.objects.count() == 1


def test_the_memoised_parser_reads_every_cell_as_parse_row_does() -> None:
    villages = [_village()]
    rng = random.Random(3)  # noqa: S311
    odd = [
        "",
        " ",
        "是",
        "否",
        "maybe",
        1,
        1.0,
        True,
        0,
        40301,
        3.6e17,
        "3.6E+17",
        "2010年5月3日",
        "2010.2.30",
        dt.date(2010, 5, 3),
        dt.datetime(2010, 5, 3, 0, 0),  # noqa: DTZ001  (as calamine gives it)
        "外出务工",
        "Rural",
        "ＡＢＣ１２",
        "x" * 60,
        "1960年",
        "19600",
    ]
    parse = RowParser()
    sheet: list[tuple[int, list[object]]] = []
    keys = [c.key for c in COLUMNS]
    for n, row in enumerate(census_rows(3000, villages, seed=5), start=2):
        raw: dict[str, object] = {c.key: row.get(c.key, "") or "" for c in COLUMNS}
        for c in COLUMNS:
            if rng.random() < 0.2:
                raw[c.key] = rng.choice(odd)
        assert parse(n, raw) == parse_row(n, raw)
        sheet.append((n, [raw[k] for k in reversed(keys)]))
    # a column at a time (cells in another order, one column missing): the same answers
    index = {k: len(keys) - 1 - i for i, k in enumerate(keys) if k != "notes"}
    expected = [parse_row(n, {k: cells[i] for k, i in index.items()}) for n, cells in sheet]
    assert RowParser().many(sheet, index) == expected


def test_the_import_name_keys_are_lib_pinyin_keys() -> None:
    from shouwang.demo import names  # noqa: PLC0415
    from shouwang.imports.services import _Keys  # noqa: PLC0415
    from shouwang.lib.pinyin import full_pinyin, normalise_name, pinyin_initials  # noqa: PLC0415

    villages = [_village()]
    people = [
        *(n for pair in names.SURNAMES for n in pair[:1]),
        "曾小单",
        "单田芳",
        "解晓东",
        "欧阳 娜娜",
        "阿依古丽·买买提",
        "Li Ming",
        "长孙无忌",
        "重庆",
        "",
    ]
    for row in census_rows(20_000, villages, seed=9):
        people += [row["name"], row["father_name"], row["mother_name"], row["carer_name"]]
    keys = _Keys()
    for name in people:
        assert keys(name) == (normalise_name(name), full_pinyin(name), pinyin_initials(name))


def test_the_fast_registration_check_gives_the_registry_answer() -> None:
    import copy  # noqa: PLC0415

    from shouwang.imports.columns import to_registration  # noqa: PLC0415
    from shouwang.imports.services import check  # noqa: PLC0415
    from shouwang.lib.idcard import make_id_number  # noqa: PLC0415
    from shouwang.registry.domain import check_registration  # noqa: PLC0415

    villages = [_village()]
    rng = random.Random(8)  # noqa: S311
    today = dt.date(2026, 3, 1)

    def mutate(number: str, born: dt.date) -> str:  # noqa: PLR0911  (one return per kind)
        pick = rng.randrange(12)
        digits = "0123456789"
        if pick == 0:  # one wrong digit
            i = rng.randrange(17)
            return number[:i] + rng.choice(digits) + number[i + 1 :]
        if pick == 1:
            return number[:17] + rng.choice("0123456789X")
        if pick == 2:
            return number[:-1] + "x"
        if pick == 3:
            return number[:16]
        if pick == 4:  # other region codes, some unknown in some years
            return make_id_number(
                rng.choice(["110101", "410322", "999999", "419999", "710000"]),
                born,
                rng.randrange(1000),
            )
        if pick == 5:  # someone else's birth date, adult or in the future
            other = born + dt.timedelta(days=rng.choice([-1, 1, -20 * 365, 400 * 365, 365]))
            return make_id_number("410322", other, rng.randrange(1000))
        if pick == 6:  # the other sex
            return make_id_number("410322", born, rng.randrange(1000))
        if pick == 7:
            return number[:6] + "20231340" + number[14:]
        if pick == 8:
            return ""
        if pick == 9:
            return number.replace("1", "Ｉ", 1)
        return number

    for n, row in enumerate(census_rows(4000, villages, seed=13, today=today)):
        values = parse_row(n, {c.key: row.get(c.key, "") or "" for c in COLUMNS}).values
        reg = to_registration(values)
        if n % 2:
            reg.child.id_number = mutate(
                reg.child.id_number or make_id_number("410322", reg.child.birth_date, n % 1000),
                reg.child.birth_date,
            )
        if n % 7 == 0:
            reg.child.sex = rng.choice(["male", "female", ""])
        if n % 11 == 0:
            reg.father.work_place = ""
        ours, theirs = (
            check(copy.deepcopy(reg), today=today),
            check_registration(copy.deepcopy(reg), today=today),
        )
        assert (ours.errors, ours.warnings, ours.id_number) == (
            theirs.errors,
            theirs.warnings,
            theirs.id_number,
        ), reg.child


def _county_of(code: str) -> tuple[Any, list[Any]]:
    county = make_area(None, "county", f"{code}000000", f"县{code}")
    town = make_area(county, "township", f"{code}100000", "T镇")
    return county, [make_area(town, "village", f"{code}1002{v:02d}", f"村{v}") for v in range(3)]


def _label(obj: Any) -> str:
    """A record at the other end of a link, the same in both counties."""
    if obj is None:
        return ""
    return getattr(obj, "name_zh", None) or getattr(obj, "name", None) or str(obj)


def _written(county: Any) -> dict[str, list[tuple]]:
    """Every record an import wrote in ``county``, without keys, UUIDs and timestamps;
    links shown by the names at both ends."""
    from shouwang.audit.models import AuditEvent  # noqa: PLC0415
    from shouwang.imports.models import ImportedRecord  # noqa: PLC0415
    from shouwang.registry.models import (  # noqa: PLC0415
        CareArrangement,
        Child,
        ChildRelation,
        ParentAbsence,
        Person,
    )

    volatile = {"id", "public_id", "created_at", "updated_at", "occurred_at", "target_id", "extra"}

    def plain(obj: Any, *links: str) -> tuple:
        values = [
            (f.attname, getattr(obj, f.attname))
            for f in type(obj)._meta.concrete_fields
            if f.attname not in volatile and not f.attname.endswith("_id")
        ]
        return (*values, *(_label(getattr(obj, link)) for link in links))

    children = Child.objects.filter(county=county)
    public = {str(c.public_id) for c in children}
    return {
        "child": sorted(plain(c, "village") for c in children),
        "household": sorted(
            (*plain(h, "village"), sorted(c.name for c in h.children.all()))
            for h in Household.objects.filter(children__county=county)
        ),
        "person": sorted(
            (*plain(p), sorted(c.name for c in p.household.children.all()))
            for p in Person.objects.filter(household__children__county=county)
        ),
        "relation": sorted(
            plain(r, "child", "person") for r in ChildRelation.objects.filter(child__county=county)
        ),
        "absence": sorted(
            plain(a, "person")
            for a in ParentAbsence.objects.filter(person__household__children__county=county)
        ),
        "care": sorted(
            plain(c, "child", "caregiver")
            for c in CareArrangement.objects.filter(child__county=county)
        ),
        "event": sorted(
            (*plain(e, "area"), e.extra["row"], e.extra["warnings"])
            for e in AuditEvent.objects.filter(action="child.registered")
            if e.target_id in public
        ),
        "imported": sorted(
            (r.row_number, _label(r.child)) for r in ImportedRecord.objects.filter(county=county)
        ),
    }


def test_the_staging_table_writes_what_a_copy_per_table_writes(monkeypatch) -> None:
    """PostgreSQL writes through one staging row per child (``staging``: a binary
    ``COPY``, then one query of ``INSERT``s, chunk after chunk); a text ``COPY`` per table
    is the reference: the same records, one sheet imported both ways into two counties
    alike — in chunks of 16, 32 and 64 rows, with text a text ``COPY`` must escape."""
    from django.db import connection  # noqa: PLC0415

    from shouwang.audit.models import AuditEvent  # noqa: PLC0415
    from shouwang.audit.services import SystemActor  # noqa: PLC0415
    from shouwang.core.errors import ValidationFailed  # noqa: PLC0415
    from shouwang.imports import services  # noqa: PLC0415
    from shouwang.imports.synthetic import write_xlsx  # noqa: PLC0415
    from shouwang.registry.models import Child  # noqa: PLC0415

    if connection.vendor != "postgresql":
        pytest.skip("the staging table is PostgreSQL's path")
    path = Path(tempfile.mkdtemp()) / "c.xlsx"
    first, villages = _county_of("410322")
    second, _ = _county_of("410323")
    rows = list(census_rows(300, villages, seed=3))
    rows[5]["carer_relation"] = "mother"  # a parent at home cares
    rows[5]["mother_situation"] = "at_home"
    rows[5]["mother_work_place"] = rows[5]["mother_away_since"] = ""
    rows[5]["mother_return_pattern"] = ""
    rows[6]["carer_relation"] = "none"
    rows[6]["carer_name"] = rows[6]["carer_birth_year"] = ""
    rows[7]["father_situation"] = "at_home"  # no period away
    rows[7]["father_work_place"] = rows[7]["father_away_since"] = ""
    rows[7]["father_return_pattern"] = ""
    rows[8]["notes"] = "a\\b\tc \\N 备注"  # a backslash, a tab, COPY's NULL marker
    rows[9]["household_address"] = "\\N"
    rows[10]["residence_address"] = "东王村 3 组\\"
    write_xlsx(iter(rows), path)
    monkeypatch.setattr(services, "FIRST_CHUNK", 16)
    monkeypatch.setattr(services, "CHUNK", 64)
    content = path.read_bytes()
    for staged, county in ((True, first), (False, second)):
        monkeypatch.setattr(services, "STAGED", staged)
        try:
            result = services.import_census(
                actor=SystemActor("census-import"),
                area=county,
                content=content,
                filename="c.xlsx",
                evaluate_rules=False,
            )
        except ValidationFailed as exc:
            pytest.fail(str(exc.field_errors))
        assert result.created == 300
    # again, chunk by chunk: every row is found registered by the look-ups, which ran on a
    # second connection (the import's transaction is the outermost here)
    again = services.import_census(
        actor=SystemActor("census-import"),
        area=first,
        content=content,
        filename="c.xlsx",
        evaluate_rules=False,
    )
    assert (again.created, again.existing) == (0, 300)
    staged_records, copied_records = _written(first), _written(second)
    assert staged_records["child"]
    assert staged_records == copied_records
    extras = [
        sorted(
            ({k: v for k, v in e.extra.items() if k != "import"} for e in events),
            key=lambda x: x["row"],
        )
        for events in (
            AuditEvent.objects.filter(
                action=AuditEvent.Action.CHILD_REGISTERED, area__path__startswith=c.path
            )
            for c in (first, second)
        )
    ]
    assert len(extras[0]) == 300
    assert extras[0] == extras[1]
    notes = set(Child.objects.filter(county=first).values_list("notes", flat=True))
    assert "a\\b\tc \\N 备注" in notes or "a\\b c \\N 备注" in notes, notes
    assert Household.objects.filter(address="\\N", village__path__startswith=first.path).exists()
