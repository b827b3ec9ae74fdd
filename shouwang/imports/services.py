"""Census import: check every row first, then write all of them or none.

``census_check`` reads the workbook, validates every row (the registry's own rules from
``registry.domain``, the uploader's scope per row, ID numbers unique in the county and in
the file) and stores an ``ImportJob`` listing every error and warning by row and column.
``census_commit`` checks again (the registry may have changed since) and, only when there
is no error, writes every new child in one transaction: the same records, name keys and
per-child ``child.registered`` audit events as ``registry.services.child_register``, plus
one ``census.imported`` event; the rules are evaluated for the new children on commit.

Rows whose child is already registered (same ID number in the county, or, without an ID
number, the same row fingerprint as an earlier import) are skipped, so importing the same
file twice changes nothing. The import never edits a registered child.
"""

import datetime as dt
import functools
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypinyin import Style
from pypinyin.converter import UltimateConverter
from pypinyin.core import Pinyin
from stdnum.cn import ric

from shouwang.access.capabilities import Cap
from shouwang.access.policies import area_grants, require
from shouwang.accounts.models import Organisation, User
from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor, audit_record
from shouwang.core.db import analyze
from shouwang.core.errors import PermissionDenied, ValidationFailed
from shouwang.geo.models import Area
from shouwang.imports import bulk
from shouwang.imports.columns import (
    COLUMNS,
    ParsedRow,
    RowParser,
    column_for,
    to_registration,
)
from shouwang.imports.models import ImportedRecord, ImportJob
from shouwang.imports.reader import BadFile, Sheet, read_sheet
from shouwang.imports.vocabulary import ImportAction
from shouwang.lib import idcard
from shouwang.lib.dates import full_years
from shouwang.lib.memory import without_collection
from shouwang.lib.pinyin import SURNAME_READINGS, normalise_name
from shouwang.registry.domain import (
    MAX_CHILD_AGE,
    PARENT_RELATIONS,
    PARENT_SITUATION_FACTS,
    Checked,
    Registration,
    care_category,
    check_registration,
)
from shouwang.registry.models import (
    CareArrangement,
    Child,
    ChildRelation,
    Household,
    ParentAbsence,
    Person,
)

Progress = Callable[[str], None]
# A long check or import reports (phase, rows done, rows in all, children written).
Tick = Callable[[str, int, int, int], None]
TICK_ROWS = 2000  # rows between two ticks
ERROR, WARNING = "error", "warning"
CHUNK = 10_000  # rows checked before their new children are handed to the writer
# ... except the first chunks: 1,000 rows, doubling up to CHUNK, so that the database
# starts writing a second after the sheet is read instead of after 20,000 rows are checked
FIRST_CHUNK = 1_000


def _chunk_sizes() -> Iterator[int]:
    size = min(FIRST_CHUNK, CHUNK)
    while True:
        yield size
        size = min(CHUNK, 2 * size)


@dataclass
class PlannedRow:
    row: ParsedRow
    registration: Registration
    village: Area
    county: Area
    fingerprint: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class Plan:
    sheet: Sheet
    new: list[PlannedRow] = field(default_factory=list)
    existing: int = 0
    issues: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i["level"] == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i["level"] == WARNING)

    def add(self, row: int, column: str, level: str, message: str) -> None:
        self.issues.append({"row": row, "column": column, "level": level, "message": message})


def _require_importer(actor: User | SystemActor, area: Area) -> list[Area]:
    """The areas within ``area`` where ``actor`` may import (a system actor: all of it)."""
    if not isinstance(actor, User):
        return [area]
    require(actor, Cap.IMPORT_CENSUS)
    reach: list[Area] = []
    for grant in area_grants(actor, Cap.IMPORT_CENSUS):
        if area.is_within(grant):
            reach.append(area)
        elif grant.is_within(area):
            reach.append(grant)
    if not reach:
        raise ValidationFailed(_("You cannot import a census for this area."))
    return reach


def _valid_id_number(number: str, *, today: dt.date, birth_date: dt.date, sex: str) -> bool:
    """Whether ``lib.idcard.check_id_number`` (as ``registry.domain`` calls it for a child)
    would find nothing at all to say: well formed, check digit, real date, same birth date
    and sex as the row, a minor, a region code in use. Only a ``True`` is used (the
    registry's own check runs otherwise), so a ``False`` need not be exact."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    last = number[17]
    if not (last.isdigit() or last == "X") or last != ric.calc_check_digit(number):
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    encoded_sex = "male" if int(number[16]) % 2 == 1 else "female"
    return (
        born == birth_date
        and born <= today
        and (sex not in {"male", "female"} or sex == encoded_sex)
        and full_years(born, today) <= MAX_CHILD_AGE
        and idcard._region_known(number[:6], born.year)
    )


def check(registration: Registration, *, today: dt.date) -> Checked:
    """``registry.domain.check_registration``, the same answer faster for the usual row:
    when the child's ID number is one ``lib.idcard`` has nothing to say about, the rest is
    checked without it (``test_bulk.py`` compares the two over many generated rows)."""
    child = registration.child
    number = child.id_number
    if not _valid_id_number(number, today=today, birth_date=child.birth_date, sex=child.sex):
        return check_registration(registration, today=today)
    child.id_number = ""
    try:
        checked = check_registration(registration, today=today)
    finally:
        child.id_number = number
    checked.id_number = number
    return checked


_normalised = functools.lru_cache(maxsize=1 << 16)(normalise_name)


def fingerprint(county: Area, village: Area, values: dict[str, Any]) -> str:
    key = "|".join(
        [
            county.code,
            village.code,
            _normalised(values.get("name") or ""),
            values.get("sex") or "",
            (values.get("birth_date") or dt.date.min).isoformat(),
            values.get("id_number") or "",
        ]
    )
    return hashlib.sha256(key.encode()).hexdigest()


class _Villages:
    """Villages inside the import area, found by code, name or "township·village"."""

    def __init__(self, area: Area, reach: list[Area]) -> None:
        qs = Area.objects.filter(path__startswith=area.path, level__slug="village").select_related(
            "parent", "level"
        )
        self.by_key: dict[str, Area | None] = {}
        self.reach = reach
        self.counties: dict[int, Area] = {}
        self.found: dict[str, tuple[Area | None, str]] = {}  # a sheet repeats its villages
        for village in qs:
            keys = {village.code, village.name_zh, village.name_en.lower()}
            if village.parent is not None:
                for sep in ("·", "/", "-", " "):
                    keys.add(f"{village.parent.name_zh}{sep}{village.name_zh}")
            for key in keys - {""}:
                # A name two villages share is ambiguous: only the code can choose.
                self.by_key[key] = None if key in self.by_key else village

    def find(self, text: str) -> tuple[Area | None, str]:
        found = self.found.get(text)
        if found is None:
            found = self.found[text] = self._find(text)
        return found

    def _find(self, text: str) -> tuple[Area | None, str]:
        if not text:
            return None, _("This column must be filled in.")
        key = text.strip()
        if key not in self.by_key and key.lower() not in self.by_key:
            return None, _(
                "%(text)s is not a village in the area of this import. Use the village's "
                "name from the template's list, or its 12-digit code."
            ) % {"text": text}
        village = self.by_key.get(key, self.by_key.get(key.lower()))
        if village is None:
            return None, _(
                "Several villages are called %(text)s: please use the 12-digit code."
            ) % {"text": text}
        if not any(village.is_within(a) for a in self.reach):
            return None, _("This village is outside your area: you cannot import children there.")
        return village, ""

    def county_of(self, village: Area) -> Area:
        county = self.counties.get(village.parent_id or 0)
        if county is None:
            county = village.ancestor_at("county")
            if county is None:
                msg = f"village {village.code} is not inside a county"
                raise ValueError(msg)
            self.counties[village.parent_id or 0] = county
        return county


class _Schools:
    """Schools (active ``Organisation``s of type school) in the county of the import area
    (or inside it, for an area above a county), found by Chinese or English name."""

    def __init__(self, area: Area) -> None:
        county = area.ancestor_at("county") if area.level.slug != "county" else area
        within = county if county is not None else area
        self.by_name: dict[str, Organisation | None] = {}
        self.found: dict[str, tuple[Organisation | None, str]] = {}
        schools = Organisation.objects.filter(
            org_type=Organisation.Type.SCHOOL, active=True, area__path__startswith=within.path
        )
        for school in schools:
            for key in {school.name_zh, school.name_en.lower()} - {""}:
                self.by_name[key] = None if key in self.by_name else school

    def find(self, text: str) -> tuple[Organisation | None, str]:
        if not text:
            return None, ""
        found = self.found.get(text)
        if found is None:
            found = self.found[text] = self._find(text)
        return found

    def _find(self, text: str) -> tuple[Organisation | None, str]:
        key = text if text in self.by_name else text.lower()
        if key not in self.by_name:
            return None, _(
                "%(text)s is not a school of this county. Use the school's name from the "
                "template's list, or leave the cell empty."
            ) % {"text": text}
        school = self.by_name[key]
        if school is None:
            return None, _("Several schools are called %(text)s.") % {"text": text}
        return school, ""


@without_collection
def plan_import(  # noqa: PLR0912, PLR0915  (one pass over the rows, each check in turn)
    *,
    actor: User | SystemActor,
    area: Area,
    content: bytes,
    today: dt.date | None = None,
    progress: Progress | None = None,
    sink: "Sink | None" = None,
    tick: Tick | None = None,
) -> Plan:
    """Read and check every row. ``BadFile`` for an unreadable file.

    Without ``sink`` nothing is written. With one (``import_census``), every ``CHUNK``
    rows the new children found so far are handed to it while there is no error yet, so the
    database writes them while the next rows are checked; the caller's transaction is
    rolled back if an error turns up later. Rows written that way are not "already
    registered" for the rows after them (``Sink.children``, ``Sink.job``)."""
    say = progress or (lambda _m: None)
    today = today or timezone.localdate()
    reach = _require_importer(actor, area)
    t0 = time.perf_counter()
    sheet = read_sheet(content)
    plan = Plan(sheet=sheet)
    plan.timings["read"] = time.perf_counter() - t0
    say(ngettext("Read %(n)d row.", "Read %(n)d rows.", len(sheet.rows)) % {"n": len(sheet.rows)})

    t0 = time.perf_counter()
    villages = _Villages(area, reach)
    schools = _Schools(area)
    index = sheet.columns
    seen_ids: dict[tuple[int, str], int] = {}
    seen_prints: dict[str, int] = {}
    candidates: list[PlannedRow] = []
    parse = RowParser()
    plan.timings["match"] = plan.timings["write"] = 0.0

    # Chunk k's look-up is sent as soon as its rows are checked. On PostgreSQL a second
    # connection answers it at once (``Writer.committed``): its answer is used, and its
    # new children handed to the sink, straight away. Otherwise the writer thread answers
    # it when the statement it is running ends, and it is used after chunk k+1 is checked,
    # so this process seldom waits for it. Either way the database keeps writing while
    # this process checks rows.
    pending: list[tuple[list[PlannedRow], Any]] = []
    lag = 1  # chunks checked before a chunk's look-up answer is used (0: see below)

    def settle() -> None:
        batch, answer = pending.pop(0)
        t0 = time.perf_counter()
        if sink is not None:
            answers = sink.writer.result(answer)
            known = _known(batch, answers, sink.children)
        else:
            known = _known(batch, answer, set())
        first = len(plan.new)
        _split_existing(plan, batch, known)
        plan.timings["match"] += time.perf_counter() - t0
        if sink is not None and not plan.errors:
            t0 = time.perf_counter()
            sink.write(plan.new[first:])
            plan.timings["write"] += time.perf_counter() - t0

    def flush() -> None:
        t0 = time.perf_counter()
        batch = list(candidates)
        candidates.clear()
        queries = _existing_queries(batch, sink.job if sink is not None else None)
        if sink is not None:
            lookup = functools.partial(_run_queries, queries)
            pending.append((batch, sink.writer.committed(lookup)))
        else:
            with connection.cursor() as cursor:
                pending.append((batch, _run_queries(queries, cursor)))
        plan.timings["match"] += time.perf_counter() - t0
        if len(pending) > lag:
            settle()

    total = len(sheet.rows)
    sizes = _chunk_sizes()
    limit = next(sizes)
    if sink is not None:
        sink.reserve(total)
        if sink.writer.beside:
            lag = 0

    def parsed_rows() -> Iterator[ParsedRow]:
        start = 0
        for size in _chunk_sizes():  # a chunk's cells read a column at a time
            if start >= total:
                return
            yield from parse.many(sheet.rows[start : start + size], index)
            start += size

    for n, parsed in enumerate(parsed_rows(), start=1):
        row_number = parsed.row_number
        village, problem = villages.find(str(parsed.values.get("village") or ""))
        if problem:
            parsed.errors.setdefault("village", []).append(problem)
        school, problem = schools.find(str(parsed.values.get("school") or ""))
        if problem:
            parsed.errors.setdefault("school", []).append(problem)
        for key, messages in parsed.errors.items():
            for message in messages:
                plan.add(row_number, key, ERROR, message)
        if parsed.errors or village is None:
            continue
        registration = to_registration(parsed.values)
        registration.child.school = school
        checked = check(registration, today=today)
        for key, messages in checked.errors.items():
            for message in messages:
                plan.add(row_number, column_for(key), ERROR, message)
        if checked.errors:
            continue
        if checked.id_number:
            registration.child.id_number = checked.id_number
            parsed.values["id_number"] = checked.id_number
        county = villages.county_of(village)
        planned = PlannedRow(
            row=parsed,
            registration=registration,
            village=village,
            county=county,
            fingerprint=fingerprint(county, village, parsed.values),
            warnings=list(checked.warnings),
        )
        number = registration.child.id_number
        if number:
            first = seen_ids.setdefault((county.pk, number), row_number)
            if first != row_number:
                plan.add(
                    row_number,
                    "id_number",
                    ERROR,
                    _("The same ID number is already in row %(row)d of this sheet.")
                    % {"row": first},
                )
                continue
        else:
            first = seen_prints.setdefault(planned.fingerprint, row_number)
            if first != row_number:
                plan.add(
                    row_number,
                    "name",
                    ERROR,
                    _("This row repeats row %(row)d (same village, name, sex and birth date).")
                    % {"row": first},
                )
                continue
        candidates.append(planned)
        if len(candidates) >= limit:
            flush()
            limit = next(sizes)
        if n % 20000 == 0:
            say(ngettext("Checked %(n)d row.", "Checked %(n)d rows.", n) % {"n": n})
        if tick is not None and n % TICK_ROWS == 0:
            written = len(sink.child_ids) if sink is not None else 0
            tick(ImportJob.Phase.WRITING if sink else ImportJob.Phase.CHECKING, n, total, written)
    flush()
    while pending:
        settle()
    plan.timings["validate"] = (
        time.perf_counter() - t0 - plan.timings["match"] - plan.timings["write"]
    )
    for planned in plan.new:
        for warning in planned.warnings:
            plan.add(planned.row.row_number, "id_number", WARNING, warning)
    plan.issues.sort(key=lambda i: (i["row"], [c.key for c in COLUMNS].index(i["column"])))
    say(
        _("New children: %(new)d; already registered: %(existing)d; errors: %(errors)d.")
        % {"new": len(plan.new), "existing": plan.existing, "errors": plan.errors}
    )
    return plan


def _chunks(items: list[Any], size: int = 5000) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


Query = tuple[str, Any]  # SQL with %s parameters, and the parameters


def _sql(qs: Any) -> Query:
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


@dataclass
class Known:
    """What the registry already holds of a chunk's rows, by county: ID numbers (with the
    registered name and birth date) and fingerprints of rows without one."""

    ids: dict[tuple[int, str], tuple[int, str, dt.date]] = field(default_factory=dict)
    prints: dict[tuple[int, str], int | None] = field(default_factory=dict)


def _existing_queries(candidates: list[PlannedRow], job: ImportJob | None) -> list[Query]:
    """The look-ups ``_split_existing`` needs, as SQL: they run on the import's connection
    (on PostgreSQL, on the writer thread, while the next rows are checked)."""
    by_county: dict[int, list[PlannedRow]] = {}
    for p in candidates:
        by_county.setdefault(p.county.pk, []).append(p)
    queries: list[Query] = []
    for county_pk, rows in by_county.items():
        # Without an ID number: the same village, name, sex and birth date is the same child.
        no_id = [p for p in rows if not p.registration.child.id_number]
        for part in _chunks(no_id):
            queries.append(  # noqa: PERF401
                _sql(
                    Child.objects.filter(
                        village_id__in={p.village.pk for p in part},
                        name__in={_normalised(p.registration.child.name) for p in part},
                        birth_date__in={p.registration.child.birth_date for p in part},
                    )
                    .order_by()
                    .values_list("county_id", "pk", "village_id", "name", "sex", "birth_date")
                )
            )
        numbers = [p.registration.child.id_number for p in rows if p.registration.child.id_number]
        if numbers and connection.vendor == bulk.POSTGRES:
            # one ``= ANY(array)`` (Django's ``__in`` costs ~10 µs per value)
            queries.append(
                (
                    f"SELECT county_id, id, id_number, name, birth_date "  # noqa: S608
                    f"FROM {Child._meta.db_table} "
                    "WHERE county_id = %s AND id_number <> '' AND id_number = ANY(%s)",
                    [county_pk, numbers],
                )
            )
        elif numbers:
            for part in _chunks(numbers):
                queries.append(  # noqa: PERF401
                    _sql(
                        Child.objects.filter(county_id=county_pk, id_number__in=part)
                        .order_by()
                        .values_list("county_id", "pk", "id_number", "name", "birth_date")
                    )
                )
        prints = [p.fingerprint for p in rows if not p.registration.child.id_number]
        for part in _chunks(prints):
            records = ImportedRecord.objects.filter(county_id=county_pk, fingerprint__in=part)
            if job is not None:
                records = records.exclude(job_id=job.pk)
            queries.append(_sql(records.order_by().values_list("county_id", "fingerprint")))
    return queries


def _run_queries(queries: list[Query], cursor: Any) -> list[list[tuple[Any, ...]]]:
    answers = []
    for sql, params in queries:
        cursor.execute(sql, params)
        answers.append(cursor.fetchall())
    return answers


def _known(
    candidates: list[PlannedRow], answers: list[list[tuple[Any, ...]]], own: set[int]
) -> Known:
    """``_run_queries``' answers, without the children this import has written itself."""
    villages = {p.village.pk: p.village for p in candidates}
    counties = {p.county.pk: p.county for p in candidates}
    known = Known()
    for answer in answers:
        for row in answer:
            if len(row) == 2:  # an earlier import's row fingerprint
                known.prints[(row[0], row[1])] = None
            elif len(row) == 5:  # a registered ID number
                county_pk, pk, number, name, born = row
                if pk not in own:
                    known.ids[(county_pk, number)] = (pk, name, born)
            else:  # a registered child without a matching ID: same village, name…
                county_pk, pk, village_pk, name, sex, born = row
                if pk in own:
                    continue
                values = {"name": name, "sex": sex, "birth_date": born, "id_number": ""}
                fp = fingerprint(counties[county_pk], villages[village_pk], values)
                known.prints[(county_pk, fp)] = pk
    return known


def _split_existing(plan: Plan, candidates: list[PlannedRow], known: Known) -> None:
    """Rows already in the registry (by county + ID number, or by fingerprint) are skipped."""
    for p in candidates:
        number = p.registration.child.id_number
        key = (p.county.pk, number)
        if number and key in known.ids:
            plan.existing += 1
            _pk, name, born = known.ids[key]
            child = p.registration.child
            if (name, born) != (_normalised(child.name), child.birth_date):
                plan.add(
                    p.row.row_number,
                    "id_number",
                    WARNING,
                    _(
                        "A child with this ID number is already registered (%(name)s, born "
                        "%(born)s); this row differs but the import does not change a "
                        "registered child. Correct the record on the child's page."
                    )
                    % {"name": name, "born": born.isoformat()},
                )
        elif not number and (p.county.pk, p.fingerprint) in known.prints:
            plan.existing += 1
        else:
            plan.new.append(p)


def _new_job(
    actor: User | SystemActor, area: Area, content: bytes | None, filename: str, digest: str
) -> ImportJob:
    return ImportJob(
        created_by=actor if isinstance(actor, User) else None,
        actor_label=actor.get_username() if isinstance(actor, User) else str(actor),
        area=area,
        filename=filename[:255],
        sha256=digest,
        content=content,
    )


def _record_plan(job: ImportJob, plan: Plan) -> None:
    job.rows = len(plan.sheet.rows)
    job.new_rows = len(plan.new)
    job.existing_rows = plan.existing
    job.error_count = plan.errors
    job.warning_count = plan.warnings
    job.issues = plan.issues


@without_collection
@transaction.atomic
def census_check(
    *, actor: User | SystemActor, area: Area, content: bytes, filename: str
) -> ImportJob:
    """Check an upload and keep it, with what was found, for the preview."""
    job = _new_job(actor, area, content, filename, hashlib.sha256(content).hexdigest())
    try:
        plan = plan_import(actor=actor, area=area, content=content)
    except BadFile as exc:
        raise ValidationFailed(exc.message) from None
    _record_plan(job, plan)
    job.save()
    return job


def inline_bytes() -> int:
    """Uploads up to this size are checked in the request; larger ones by the worker."""
    return int(getattr(settings, "SHOUWANG_IMPORT_INLINE_BYTES", 1_000_000))


def inline_rows() -> int:
    """Checked sheets up to this many rows are imported in the request (and their rules
    evaluated at once); larger ones by the worker."""
    return int(getattr(settings, "SHOUWANG_IMPORT_INLINE_ROWS", 5000))


def census_upload(*, actor: User, area: Area, content: bytes, filename: str) -> ImportJob:
    """A web upload: a small file is checked at once (``census_check``); a larger one is
    kept and checked by the worker (``tasks.check_census``), its progress on the job."""
    if len(content) <= inline_bytes():
        return census_check(actor=actor, area=area, content=content, filename=filename)
    _require_importer(actor, area)
    with transaction.atomic():
        job = _new_job(actor, area, content, filename, hashlib.sha256(content).hexdigest())
        job.status = ImportJob.Status.CHECKING
        job.phase = ImportJob.Phase.QUEUED
        job.save()
        from shouwang.imports.tasks import check_census  # noqa: PLC0415

        pk = job.pk
        transaction.on_commit(lambda: check_census.enqueue(pk))
    return job


class _Ticker:
    """Writes a task's progress on its job row. ``outside``: the caller is inside its import
    transaction, so the row is written on a second connection, opened once and closed by
    ``close`` (PostgreSQL only; SQLite has one writer at a time and shows the phase alone
    until the end)."""

    def __init__(self, job: ImportJob, *, outside: bool) -> None:
        self.pk = job.pk
        self.outside = outside
        self.other: Any = None

    def __call__(self, phase: str, done: int, total: int, written: int) -> None:
        now = timezone.now()
        if not self.outside:
            ImportJob.objects.filter(pk=self.pk).update(
                phase=phase,
                progress_done=done,
                progress_total=total,
                children_written=written,
                updated_at=now,
            )
            return
        if connection.vendor != bulk.POSTGRES:
            return
        if self.other is None:
            self.other = connections.create_connection(DEFAULT_DB_ALIAS)
        with self.other.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportJob._meta.db_table} SET phase = %s, progress_done = %s, "  # noqa: S608
                "progress_total = %s, children_written = %s, updated_at = %s WHERE id = %s",
                [phase, done, total, written, now, self.pk],
            )

    def close(self) -> None:
        if self.other is not None:
            self.other.close()
            self.other = None


def _failed(job: ImportJob, status: str, message: str) -> None:
    fields: dict[str, Any] = {"content": None} if status == ImportJob.Status.DISCARDED else {}
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        phase=ImportJob.Phase.FAILED,
        message=message,
        updated_at=timezone.now(),
        **fields,
    )


def run_check(job_pk: int) -> str:
    """The worker's check of a large upload (``census_upload``)."""
    job = ImportJob.objects.select_related("area", "created_by").get(pk=job_pk)
    if job.status != ImportJob.Status.CHECKING or job.content is None:
        return "skipped"
    tick = _Ticker(job, outside=False)
    tick(ImportJob.Phase.CHECKING, 0, 0, 0)
    actor = job.created_by if job.created_by is not None else SystemActor(job.actor_label)
    try:
        plan = plan_import(actor=actor, area=job.area, content=bytes(job.content), tick=tick)
    except Exception as exc:
        if not isinstance(exc, BadFile | ValidationFailed | PermissionDenied):
            # the page must not wait for ever; the task's result keeps the error
            _failed(job, ImportJob.Status.DISCARDED, _("The check failed: please upload again."))
            raise
        job.status = ImportJob.Status.DISCARDED
        job.content = None
        job.phase = ImportJob.Phase.FAILED
        job.message = (
            str(exc.message)
            if not isinstance(exc, PermissionDenied)
            else _("You may no longer import a census for this area.")
        )
        job.save()
        return "failed"
    _record_plan(job, plan)
    job.status = ImportJob.Status.CHECKED
    job.phase = ImportJob.Phase.DONE
    job.progress_done = job.progress_total = job.rows
    job.save()
    return "checked"


@dataclass
class Committed:
    job: ImportJob | None
    created: int
    existing: int
    child_ids: list[int]
    timings: dict[str, float]


def census_commit(*, actor: User | SystemActor, job: ImportJob) -> Committed:
    """Import a checked upload: every new row, or (on any error) nothing."""
    if job.status != ImportJob.Status.CHECKED or job.content is None:
        raise ValidationFailed(_("This import has already been imported or discarded."))
    result = import_census(
        actor=actor, area=job.area, content=bytes(job.content), filename=job.filename, job=job
    )
    return result


def worker_seen_recently() -> bool:
    """Whether a ``shouwang worker`` has run a pass lately (``apps`` registers a job that
    notes it), i.e. whether a queued check or import will start soon."""
    from shouwang.imports.models import WorkerBeat  # noqa: PLC0415

    stale = int(getattr(settings, "SHOUWANG_WORKER_STALE_SECONDS", 180))
    seen = WorkerBeat.objects.filter(pk=1).values_list("seen_at", flat=True).first()
    return seen is not None and (timezone.now() - seen).total_seconds() <= stale


def worker_beat(now: dt.datetime) -> dict[str, str]:
    """The worker's periodic job: note that a worker is running."""
    from shouwang.imports.models import WorkerBeat  # noqa: PLC0415

    WorkerBeat.objects.update_or_create(pk=1, defaults={"seen_at": now})
    return {"seen_at": now.isoformat()}


def census_commit_start(*, actor: User, job: ImportJob) -> Committed | None:
    """The web page's "Import": a sheet of up to ``inline_rows()`` rows is imported at once
    (``Committed``); a larger one is handed to the worker (``tasks.commit_census``; None),
    which writes its progress on the job."""
    if job.rows <= inline_rows():
        return census_commit(actor=actor, job=job)
    require(actor, Cap.IMPORT_CENSUS)
    _require_importer(actor, job.area)
    with transaction.atomic():
        claimed = ImportJob.objects.filter(
            pk=job.pk, status=ImportJob.Status.CHECKED, content__isnull=False
        ).update(
            status=ImportJob.Status.COMMITTING,
            phase=ImportJob.Phase.QUEUED,
            progress_done=0,
            progress_total=job.rows,
            children_written=0,
            message="",
            updated_at=timezone.now(),
        )
        if not claimed:
            raise ValidationFailed(_("This import has already been imported or discarded."))
        from shouwang.imports.tasks import commit_census  # noqa: PLC0415

        pk, user_pk = job.pk, actor.pk
        transaction.on_commit(lambda: commit_census.enqueue(pk, user_pk))
    return None


def run_commit(job_pk: int, user_pk: int) -> str:
    """The worker's import of a large checked upload (``census_commit_start``), then the
    rules for its new children, in batches, with progress on the job."""
    job = ImportJob.objects.select_related("area").get(pk=job_pk)
    if job.status != ImportJob.Status.COMMITTING or job.content is None:
        return "skipped"
    actor = User.objects.get(pk=user_pk)
    tick = _Ticker(job, outside=True)
    try:
        result = import_census(
            actor=actor,
            area=job.area,
            content=bytes(job.content),
            filename=job.filename,
            job=job,
            evaluate_rules=False,
            tick=tick,
        )
    except (ValidationFailed, PermissionDenied) as exc:  # new errors, or no longer allowed
        message = (
            str(exc.message)
            if isinstance(exc, ValidationFailed)
            else _("You may no longer import a census for this area: nothing was imported.")
        )
        _failed(job, ImportJob.Status.CHECKED, message)
        return "failed"
    except Exception:  # rolled back; the page must not wait for ever
        _failed(job, ImportJob.Status.CHECKED, _("The import failed: nothing was imported."))
        raise
    finally:
        tick.close()
    evaluate_children(job, result.child_ids)
    return "committed"


def evaluate_children(job: ImportJob, child_ids: list[int], batch: int = 500) -> None:
    """The rules for an import's new children, a batch at a time (each child in its own
    transaction, as ``rules.services.children_reevaluate`` does), progress on the job."""
    from shouwang.rules.services import children_reevaluate  # noqa: PLC0415

    tick = _Ticker(job, outside=False)
    total = len(child_ids)
    for start in range(0, total, batch):
        tick(ImportJob.Phase.RULES, start, total, total)
        children_reevaluate(children=Child.objects.filter(pk__in=child_ids[start : start + batch]))
    tick(ImportJob.Phase.DONE, total, total, total)


def run_rules(job_pk: int, ranges: list[list[int]]) -> str:
    """The rules for a large import made without the worker's import task (the command
    line, or ``import_census`` called directly)."""
    job = ImportJob.objects.get(pk=job_pk)
    ids = [pk for first, last in ranges for pk in range(first, last + 1)]
    existing = (
        list(Child.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if len(ids) < 5000
        else None
    )
    evaluate_children(job, existing if existing is not None else _existing_children(ids))
    return "evaluated"


def _existing_children(ids: list[int]) -> list[int]:
    found: list[int] = []
    for part in _chunks(ids, 5000):
        found += Child.objects.filter(pk__in=part).values_list("pk", flat=True)
    return sorted(found)


def _ranges(ids: list[int]) -> list[list[int]]:
    """Sorted ids as [first, last] runs (an import's keys are reserved in runs)."""
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and runs[-1][1] == pk - 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return runs


@without_collection  # re-enabled once the function's rows are freed (``lib.memory``)
def import_census(
    *,
    actor: User | SystemActor,
    area: Area,
    content: bytes,
    filename: str,
    job: ImportJob | None = None,
    progress: Progress | None = None,
    evaluate_rules: bool = True,
    tick: Tick | None = None,
) -> Committed:
    """Check and write in one transaction. Raises ``ValidationFailed`` (nothing written)
    listing the errors when any row has one. ``evaluate_rules``: the rules run for the new
    children after commit — at once for up to ``inline_rows()`` children, else by the
    worker (``tasks.evaluate_census``)."""
    say = progress or (lambda _m: None)
    with transaction.atomic():
        if job is not None and job.status == ImportJob.Status.COMMITTING:
            # claimed by ``census_commit_start`` (a conditional UPDATE): not locked, so the
            # worker's progress can be written on another connection meanwhile
            job = ImportJob.objects.get(pk=job.pk)
            if job.status != ImportJob.Status.COMMITTING:
                raise ValidationFailed(_("This import has already been imported or discarded."))
        elif job is not None:
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            if job.status != ImportJob.Status.CHECKED:
                raise ValidationFailed(_("This import has already been imported or discarded."))
        else:  # saved first: the imported records written while checking point to it
            job = _new_job(actor, area, None, filename, hashlib.sha256(content).hexdigest())
            job.save()
        with bulk.Writer() as writer:
            sink = Sink(writer, actor, job)
            try:
                plan = plan_import(
                    actor=actor, area=area, content=content, progress=progress, sink=sink, tick=tick
                )
            except BadFile as exc:
                raise ValidationFailed(exc.message) from None
            if plan.errors:
                raise ValidationFailed(
                    ngettext(
                        "The sheet has %(n)d error: nothing was imported.",
                        "The sheet has %(n)d errors: nothing was imported.",
                        plan.errors,
                    )
                    % {"n": plan.errors},
                    {
                        "issues": [
                            f"{i['row']}:{i['column']}: {i['message']}"
                            for i in plan.issues
                            if i["level"] == ERROR
                        ]
                    },
                )
            t0 = time.perf_counter()
        plan.timings["write"] += time.perf_counter() - t0  # the last tables, sent
        plan.timings["server"] = sum(writer.server_seconds.values())
        plan.timings.update({f"server:{t}": s for t, s in writer.server_seconds.items()})
        child_ids = sink.child_ids
        job.status = ImportJob.Status.COMMITTED
        job.content = None  # not kept once imported
        job.rows = len(plan.sheet.rows)
        job.new_rows = len(plan.new)
        job.existing_rows = plan.existing
        job.error_count = 0
        job.warning_count = plan.warnings
        job.issues = plan.issues
        job.committed_at = timezone.now()
        job.phase = ImportJob.Phase.RULES if tick is not None else ImportJob.Phase.NONE
        job.progress_done = job.progress_total = job.rows
        job.children_written = len(child_ids)
        job.save()
        audit_record(
            actor=actor,
            action=ImportAction.CENSUS_IMPORTED,
            target=job,
            area=area,
            extra={
                "file": job.filename,
                "sha256": job.sha256,
                "rows": job.rows,
                "created": len(child_ids),
                "already_registered": plan.existing,
                "warnings": plan.warnings,
            },
        )
        say(
            ngettext("Imported %(n)d child.", "Imported %(n)d children.", len(child_ids))
            % {"n": len(child_ids)}
        )
        _after_commit(job, child_ids, evaluate_rules=evaluate_rules)
    return Committed(job, len(child_ids), plan.existing, child_ids, plan.timings)


def _after_commit(job: ImportJob, child_ids: list[int], *, evaluate_rules: bool) -> None:
    """Once the import commits: fresh planner statistics after a large one, then the rules
    for the new children — at once for a few, else by the worker."""
    if len(child_ids) > inline_rows():
        # before anything (the rules first) reads the new rows
        transaction.on_commit(lambda: analyze(*WRITTEN_MODELS, keys_only=True))
    if evaluate_rules and child_ids:
        if len(child_ids) <= inline_rows():
            transaction.on_commit(lambda: _evaluate(child_ids))
        else:
            from shouwang.imports.tasks import evaluate_census  # noqa: PLC0415

            pk, ranges = job.pk, _ranges(child_ids)
            transaction.on_commit(lambda: evaluate_census.enqueue(pk, ranges))


def _evaluate(child_ids: list[int]) -> None:
    from shouwang.rules.services import children_reevaluate  # noqa: PLC0415

    children_reevaluate(children=Child.objects.filter(pk__in=child_ids))


class Sink:
    """Where ``plan_import`` hands each chunk's new children: their records are built and
    sent to the writer at once, so the database works while the next rows are checked."""

    def __init__(self, writer: bulk.Writer, actor: User | SystemActor, job: ImportJob) -> None:
        self.writer = writer
        self.actor = actor
        self.job = job
        self.keys = _Keys()
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.child_ids: list[int] = []
        self.children: set[int] = set()  # the same, for lookups
        self.loader: Any = None  # writes each chunk through the staging table (PostgreSQL)
        self.reserved: list[Any] = []  # PostgreSQL: keys for the sheet, being fetched
        self.unreserved = self.asked = self.used = 0  # rows: keys not asked for, asked, used
        self.pools: dict[type, list[int]] = {}

    def reserve(self, rows: int) -> None:
        """On PostgreSQL, keys for the sheet's rows (a household and a child per row, three
        people at most) are fetched ahead of the chunks that need them — on a second
        connection when it can (``Writer.committed``: a sequence gives the same keys to
        every connection) — a chunk's worth at a time, so that neither a chunk nor the
        look-ups queued beside them wait long. Keys not used are gaps in the sequences, as a
        rolled-back insert leaves."""
        if not self.writer.postgres or not rows:
            return
        if rows <= FIRST_CHUNK:  # one chunk: not worth a second connection
            self.writer.beside = False
        self.unreserved = rows
        self._ask(min(rows, 2 * FIRST_CHUNK))

    def _ask(self, rows: int) -> None:
        counts = ((Household, rows), (Child, rows), (Person, 3 * rows))
        self.reserved.append(
            self.writer.committed(
                lambda cursor: {m: bulk.fetch_ids(cursor, m, n) for m, n in counts}
            )
        )
        self.unreserved -= rows
        self.asked += rows

    def _top_up(self, rows: int) -> None:
        """Keys asked for this chunk and the next one."""
        self.used += rows
        while self.unreserved and self.asked < self.used + CHUNK:
            self._ask(min(self.unreserved, CHUNK))

    def ids(self, model: type, count: int) -> list[int]:
        if not self.writer.postgres:
            return bulk.reserve_ids(model, count)
        pool = self.pools.setdefault(model, [])
        while len(pool) < count and self.reserved:
            for m, ids in self.writer.result(self.reserved.pop(0)).items():
                self.pools.setdefault(m, []).extend(ids)  # keys in the order given
        if len(pool) < count:  # not reserved (cannot happen: a row needs five keys at most)
            short = count - len(pool)
            pool.extend(
                self.writer.result(self.writer.committed(lambda c: bulk.fetch_ids(c, model, short)))
            )
        taken = pool[:count]
        del pool[:count]
        return taken

    def write(self, rows: list[PlannedRow]) -> None:
        if self.writer.postgres and STAGED:
            ids = self._stage(rows)
            self.child_ids.extend(ids)
            self.children.update(ids)
            return
        ids = _write(
            self.writer,
            self.keys,
            self.actor,
            self.job,
            rows,
            today=self.today,
            now=self.now,
            reserve=self.ids,
        )
        self.child_ids.extend(ids)
        self.children.update(ids)

    def _stage(self, rows: list[PlannedRow]) -> list[int]:
        """PostgreSQL: one staging row per child (``staging``), the same values as
        ``_write``; the tables are written from it by the server."""
        from shouwang.imports import staging  # noqa: PLC0415

        if not rows:
            return []
        if self.loader is None:
            self.loader = staging.Loader(
                self.writer.raw,
                staging.statements(
                    now=self.now,
                    today=self.today,
                    user_id=self.actor.pk if isinstance(self.actor, User) else None,
                    actor_label=self.job.actor_label,
                    job_id=self.job.pk,
                ),
                self.writer.server_seconds,
            )
        n = len(rows)
        self._top_up(n)
        keys = self.keys
        regs = [p.registration for p in rows]
        household_ids = self.ids(Household, n)
        child_ids = self.ids(Child, n)
        carers = sum(1 for r in regs if r.caregiver.relation not in PARENT_RELATIONS | {"none"})
        person_ids = iter(self.ids(Person, 2 * n + carers))
        uuids = iter(bulk.uuid4_strings(2 * n + (2 * n + carers), clustered=CLUSTERED))
        import_id = str(self.job.public_id)
        facts = PARENT_SITUATION_FACTS
        staged: list[tuple[Any, ...]] = []
        for p, reg, household_id, child_id in zip(
            rows, regs, household_ids, child_ids, strict=True
        ):
            h, c = reg.household, reg.child
            parents: list[Any] = []
            ids: dict[str, int] = {}
            for relation, data in (("father", reg.father), ("mother", reg.mother)):
                ids[relation] = person_id = next(person_ids)
                parents += [
                    person_id,
                    next(uuids),
                    *keys(data.name),
                    data.phone,
                    data.birth_year,
                    data.situation,
                    data.lacks_guardianship_capacity,
                    data.incapacity_reason if data.lacks_guardianship_capacity else "",
                    *[getattr(data, a) for a in facts],
                ]
            absences: list[Any] = []
            away: list[bool] = []
            for data in (reg.father, reg.mother):
                out = data.situation == "working_away"
                away.append(out)
                absences += (
                    [
                        data.work_place.strip(),
                        data.away_since,
                        data.return_pattern,
                        data.contact_channel,
                    ]
                    if out
                    else [None, None, None, None]
                )
            carer = reg.caregiver
            if carer.relation == "none":
                caregiver_id = None
                kept: list[Any] = [None] * 12
            elif carer.relation in PARENT_RELATIONS:
                caregiver_id = ids[carer.relation]
                kept = [None] * 12
            else:
                caregiver_id = next(person_ids)
                kept = [
                    caregiver_id,
                    next(uuids),
                    *keys(carer.name),
                    carer.sex,
                    carer.phone,
                    carer.birth_year,
                    carer.health,
                    carer.literacy,
                    carer.self_supporting,
                    carer.infectious_disease,
                ]
            staged.append(
                (
                    household_id,
                    next(uuids),
                    h.address,
                    h.main_income_source,
                    h.dibao,
                    h.tekun,
                    h.poverty_registered,
                    child_id,
                    next(uuids),
                    *_child_values(p, household_id, keys),
                    *parents,
                    *away,
                    *absences,
                    carer.relation if kept[0] is not None else None,
                    *kept,
                    caregiver_id,
                    care_category(reg),
                    carer.since,
                    carer.has_care_capacity,
                    carer.notice_to_school_on,
                    carer.notice_to_village_on,
                    carer.disqualifiers_checked or bool(carer.disqualifiers),
                    list(carer.disqualifiers),
                    carer.child_views_heard,
                    {"warnings": p.warnings, "import": import_id, "row": p.row.row_number},
                    p.row.row_number,
                    None if c.id_number else p.fingerprint,
                )
            )
        loader, payload = self.loader, self.loader.encode(staged)
        self.writer.query(lambda cursor: loader.load(cursor, payload))
        return child_ids


CLUSTERED = True  # public IDs: see ``bulk.uuid4_strings``
# PostgreSQL writes through the staging table (``staging``); False: a COPY per table.
STAGED = True

_PINYIN = Pinyin(UltimateConverter(v_to_u=False, neutral_tone_with_five=False, tone_sandhi=False))


class _Keys:
    """The registry's name keys (``registry.services._name_keys``), memoised per name.

    The same syllables as ``lib.pinyin._syllables``, faster: pypinyin segments a name into
    words (phrases of its dictionary, or single characters) and converts each word on its
    own, so each word's pinyin is converted once per import and looked up afterwards.
    ``test_bulk.py`` checks the keys against ``lib.pinyin`` over generated names."""

    def __init__(self) -> None:
        self.cache: dict[str, tuple[str, str, str]] = {}
        self.words: dict[str, list[str]] = {}

    def syllables(self, clean: str) -> list[str]:
        if not clean:
            return []
        syllables: list[str] = []
        for word in _PINYIN.seg(clean):
            got = self.words.get(word)
            if got is None:
                got = self.words[word] = [
                    s.lower() for s in _PINYIN.lazy_pinyin(word, style=Style.NORMAL)
                ]
            syllables.extend(got)
        first = clean[0]
        if first in SURNAME_READINGS and syllables:
            syllables[0] = SURNAME_READINGS[first]
        return [s for s in syllables if s.isascii()]

    def __call__(self, name: str) -> tuple[str, str, str]:
        """name, name_pinyin and name_initials."""
        keys = self.cache.get(name)
        if keys is None:
            # full_pinyin and pinyin_initials of lib.pinyin, from one pinyin conversion
            clean = normalise_name(name)
            syllables = self.syllables(clean)
            keys = (
                clean,
                "".join(syllables).replace(" ", ""),
                "".join(s[0] for s in syllables if s),
            )
            self.cache[name] = keys
        return keys


def _write(
    writer: bulk.Writer,
    keys: "_Keys",
    actor: User | SystemActor,
    job: ImportJob,
    rows: list[PlannedRow],
    *,
    today: dt.date,
    now: dt.datetime,
    reserve: Callable[[type, int], list[int]] = bulk.reserve_ids,
) -> list[int]:
    """The records ``child_register`` writes for each row, in bulk: one table at a time,
    each sent (``bulk.Writer``) while the next is built."""
    if not rows:
        return []
    user_id = actor.pk if isinstance(actor, User) else None
    n = len(rows)
    household_ids = reserve(Household, n)
    child_ids = reserve(Child, n)
    regs = [p.registration for p in rows]
    carers = sum(1 for r in regs if r.caregiver.relation not in PARENT_RELATIONS | {"none"})
    person_ids = iter(reserve(Person, 2 * n + carers))
    defaults = bulk.defaults(Person)  # a parent's or a carer's unset fields
    writer.insert(
        Household,
        HOUSEHOLD_COLUMNS,
        [
            (
                household_id,
                public_id,
                now,
                now,
                p.village.pk,
                reg.household.address,
                reg.household.main_income_source,
                reg.household.dibao,
                reg.household.tekun,
                reg.household.poverty_registered,
            )
            for p, reg, household_id, public_id in zip(
                rows, regs, household_ids, bulk.uuid4_strings(n), strict=True
            )
        ],
    )

    people: list[tuple[Any, ...]] = []
    relations: list[tuple[Any, ...]] = []
    absences: list[tuple[Any, ...]] = []
    cares: list[tuple[Any, ...]] = []
    person_uuids = iter(bulk.uuid4_strings(2 * n + carers))
    for reg, household_id, child_id in zip(regs, household_ids, child_ids, strict=True):
        parents: dict[str, int] = {}
        for relation, data in (("father", reg.father), ("mother", reg.mother)):
            person_id = next(person_ids)
            parents[relation] = person_id
            people.append(
                (
                    person_id,
                    next(person_uuids),
                    now,
                    now,
                    household_id,
                    *keys(data.name),
                    "male" if relation == "father" else "female",
                    data.phone,
                    data.birth_year,
                    data.situation,
                    data.lacks_guardianship_capacity,
                    data.incapacity_reason if data.lacks_guardianship_capacity else "",
                    *[getattr(data, attr) for attr in PARENT_SITUATION_FACTS],
                    defaults["health"],
                    defaults["literacy"],
                    defaults["self_supporting"],
                    defaults["infectious_disease"],
                )
            )
            relations.append((child_id, person_id, relation))
            if data.situation == "working_away":
                absences.append(
                    (
                        person_id,
                        data.work_place.strip(),
                        data.away_since,
                        data.return_pattern,
                        data.contact_channel,
                    )
                )
        carer = reg.caregiver
        caregiver_id: int | None
        if carer.relation == "none":
            caregiver_id = None
        elif carer.relation in PARENT_RELATIONS:
            caregiver_id = parents[carer.relation]
        else:
            caregiver_id = next(person_ids)
            people.append(
                (
                    caregiver_id,
                    next(person_uuids),
                    now,
                    now,
                    household_id,
                    *keys(carer.name),
                    carer.sex,
                    carer.phone,
                    carer.birth_year,
                    Person.Situation.AT_HOME.value,
                    defaults["lacks_guardianship_capacity"],
                    defaults["incapacity_reason"],
                    *[defaults[attr] for attr in PARENT_SITUATION_FACTS],
                    carer.health,
                    carer.literacy,
                    carer.self_supporting,
                    carer.infectious_disease,
                )
            )
            relations.append((child_id, caregiver_id, carer.relation))
        cares.append(
            (
                child_id,
                caregiver_id,
                care_category(reg),
                carer.since,
                carer.has_care_capacity,
                carer.notice_to_school_on,
                carer.notice_to_village_on,
                carer.disqualifiers_checked or bool(carer.disqualifiers),
                list(carer.disqualifiers),
                carer.child_views_heard,
            )
        )
    writer.insert(Person, PERSON_COLUMNS, people)

    child_uuids = bulk.uuid4_strings(n)
    writer.insert(
        Child,
        CHILD_COLUMNS,
        [
            (
                child_id,
                public_id,
                now,
                now,
                *_child_values(p, household_id, keys),
                today,
                user_id,
            )
            for p, household_id, child_id, public_id in zip(
                rows, household_ids, child_ids, child_uuids, strict=True
            )
        ],
    )
    writer.insert(ChildRelation, ("child_id", "person_id", "relation"), relations)
    writer.insert(
        ParentAbsence,
        ("person_id", "work_place", "since", "return_pattern", "contact_channel"),
        absences,
    )
    writer.insert(CareArrangement, CARE_COLUMNS, cares)
    registered = AuditEvent.Action.CHILD_REGISTERED.value
    target_type = Child._meta.label_lower
    import_id = str(job.public_id)
    writer.insert(
        AuditEvent,
        EVENT_COLUMNS,
        [
            (
                user_id,
                job.actor_label,
                registered,
                target_type,
                public_id,
                p.village.pk,
                now,
                {"warnings": p.warnings, "import": import_id, "row": p.row.row_number},
            )
            for p, public_id in zip(rows, child_uuids, strict=True)
        ],
    )
    # A row with an ID number is found again by it (the registry's unique ID number per
    # county); only rows without one need their fingerprint kept. Which child every row
    # became is in its ``child.registered`` event (import and row).
    writer.insert(
        ImportedRecord,
        ("job_id", "child_id", "county_id", "row_number", "fingerprint"),
        [
            (job.pk, child_id, p.county.pk, p.row.row_number, p.fingerprint)
            for p, child_id, c in zip(rows, child_ids, (r.child for r in regs), strict=True)
            if not c.id_number
        ],
    )
    return child_ids


WRITTEN_MODELS = (
    Household,
    Person,
    Child,
    ChildRelation,
    ParentAbsence,
    CareArrangement,
    AuditEvent,
    ImportedRecord,
)
HOUSEHOLD_COLUMNS = (
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "village_id",
    "address",
    "main_income_source",
    "dibao",
    "tekun",
    "poverty_registered",
)
PERSON_COLUMNS = (
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "household_id",
    "name",
    "name_pinyin",
    "name_initials",
    "sex",
    "phone",
    "birth_year",
    "situation",
    "lacks_guardianship_capacity",
    "incapacity_reason",
    *PARENT_SITUATION_FACTS,
    "health",
    "literacy",
    "self_supporting",
    "infectious_disease",
)
# A new child's own values, from its row, in this order (``_child_values``): both write
# paths take them from there — a ``COPY`` or ``executemany`` per table (``CHILD_COLUMNS``)
# and PostgreSQL's staging table (``staging.CHILD_FIELDS``).
CHILD_VALUES = (
    "name",
    "name_pinyin",
    "name_initials",
    "sex",
    "birth_date",
    "ethnicity",
    "id_number",
    "hukou_type",
    "household_id",
    "village_id",
    "county_id",
    "residence_address",
    "school_id",
    "school_stage",
    "grade",
    "boarding",
    "health_status",
    "disability_type",
    "disability_grade",
    "lives_alone",
    "left_unattended",
    "needs_special_care",
    "poverty_hardship",
    "safety_concerns",
    "confirmed_by_guardian",
    "notes",
)
CHILD_COLUMNS = (
    "id",
    "public_id",
    "created_at",
    "updated_at",
    *CHILD_VALUES,
    "last_verified_on",
    "registered_by_id",
)


def _child_values(p: PlannedRow, household_id: int, keys: "_Keys") -> tuple[Any, ...]:
    c = p.registration.child
    return (
        *keys(c.name),
        c.sex,
        c.birth_date,
        c.ethnicity,
        c.id_number,
        c.hukou_type,
        household_id,
        p.village.pk,
        p.county.pk,
        c.residence_address,
        c.school.pk if c.school is not None else None,
        c.school_stage,
        c.grade,
        c.boarding,
        c.health_status,
        c.disability_type,
        c.disability_grade,
        c.lives_alone,
        c.left_unattended,
        c.needs_special_care,
        c.poverty_hardship,
        list(c.safety_concerns),
        c.confirmed_by_guardian,
        c.notes,
    )


CARE_COLUMNS = (
    "child_id",
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
EVENT_COLUMNS = (
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "area_id",
    "occurred_at",
    "extra",
)


@transaction.atomic
def census_discard(*, actor: User, job: ImportJob) -> None:
    """Drop a checked upload that will not be imported (its file is deleted)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status == ImportJob.Status.CHECKED:
        job.status = ImportJob.Status.DISCARDED
        job.content = None
        job.save(update_fields=["status", "content", "updated_at"])


@transaction.atomic
def registry_export(*, actor: User, area: Area | None, lang: str) -> tuple[bytes, int]:
    """The children ``actor`` may export (within ``area``), in the template's layout.
    Audited: who exported how many children of which area."""
    from shouwang.imports.selectors import export_children, export_rows  # noqa: PLC0415
    from shouwang.imports.workbooks import export  # noqa: PLC0415

    require(actor, Cap.EXPORT_REGISTRY)
    children = export_children(viewer=actor, area=area)
    count = children.count()
    content = export(lang=lang, rows=export_rows(children), villages=[])
    audit_record(
        actor=actor,
        action=ImportAction.REGISTRY_EXPORTED,
        area=area,
        extra={"children": count, "language": lang},
    )
    return content, count
