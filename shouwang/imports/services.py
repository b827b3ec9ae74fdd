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
import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shouwang.access.capabilities import Cap
from shouwang.access.policies import area_grants, require
from shouwang.accounts.models import User
from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor, audit_record
from shouwang.core.errors import ValidationFailed
from shouwang.geo.models import Area
from shouwang.imports import bulk
from shouwang.imports.columns import (
    COLUMNS,
    ParsedRow,
    column_for,
    parse_row,
    to_registration,
)
from shouwang.imports.models import ImportedRecord, ImportJob
from shouwang.imports.reader import BadFile, Sheet, read_sheet
from shouwang.imports.vocabulary import ImportAction
from shouwang.lib.pinyin import _syllables, normalise_name
from shouwang.registry.domain import (
    PARENT_RELATIONS,
    PARENT_SITUATION_FACTS,
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
ERROR, WARNING = "error", "warning"


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


def fingerprint(county: Area, village: Area, values: dict[str, Any]) -> str:
    key = "|".join(
        [
            county.code,
            village.code,
            normalise_name(values.get("name") or ""),
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
        for village in qs:
            keys = {village.code, village.name_zh, village.name_en.lower()}
            if village.parent is not None:
                for sep in ("·", "/", "-", " "):
                    keys.add(f"{village.parent.name_zh}{sep}{village.name_zh}")
            for key in keys - {""}:
                # A name two villages share is ambiguous: only the code can choose.
                self.by_key[key] = None if key in self.by_key else village

    def find(self, text: str) -> tuple[Area | None, str]:
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


def plan_import(  # noqa: PLR0912, PLR0915  (one pass over the rows, each check in turn)
    *,
    actor: User | SystemActor,
    area: Area,
    content: bytes,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Read and check every row; write nothing. ``BadFile`` for an unreadable file."""
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
    index = sheet.columns
    seen_ids: dict[tuple[int, str], int] = {}
    seen_prints: dict[str, int] = {}
    candidates: list[PlannedRow] = []
    for n, (row_number, cells) in enumerate(sheet.rows, start=1):
        raw = {key: (cells[i] if i < len(cells) else "") for key, i in index.items()}
        parsed = parse_row(row_number, raw)
        village, problem = villages.find(str(parsed.values.get("village") or ""))
        if problem:
            parsed.errors.setdefault("village", []).append(problem)
        for key, messages in parsed.errors.items():
            for message in messages:
                plan.add(row_number, key, ERROR, message)
        if parsed.errors or village is None:
            continue
        registration = to_registration(parsed.values)
        checked = check_registration(registration, today=today)
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
        if n % 20000 == 0:
            say(ngettext("Checked %(n)d row.", "Checked %(n)d rows.", n) % {"n": n})
    plan.timings["validate"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    _split_existing(plan, candidates)
    plan.timings["match"] = time.perf_counter() - t0
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


def _split_existing(plan: Plan, candidates: list[PlannedRow]) -> None:
    """Rows already in the registry (by county + ID number, or by fingerprint) are skipped."""
    by_county: dict[int, list[PlannedRow]] = {}
    for p in candidates:
        by_county.setdefault(p.county.pk, []).append(p)
    known_ids: dict[tuple[int, str], tuple[str, dt.date]] = {}
    known_prints: set[tuple[int, str]] = set()
    for county_pk, rows in by_county.items():
        # Without an ID number: the same village, name, sex and birth date is the same child.
        no_id = [p for p in rows if not p.registration.child.id_number]
        for part in _chunks(no_id):
            same = Child.objects.filter(
                village_id__in={p.village.pk for p in part},
                name__in={normalise_name(p.registration.child.name) for p in part},
                birth_date__in={p.registration.child.birth_date for p in part},
            ).values_list("village__code", "name", "sex", "birth_date")
            for code, name, sex, born in same:
                village = next(p.village for p in part if p.village.code == code)
                county = next(p.county for p in part if p.village.code == code)
                values = {"name": name, "sex": sex, "birth_date": born, "id_number": ""}
                known_prints.add((county_pk, fingerprint(county, village, values)))
        numbers = [p.registration.child.id_number for p in rows if p.registration.child.id_number]
        for part in _chunks(numbers):
            for number, name, born in Child.objects.filter(
                county_id=county_pk, id_number__in=part
            ).values_list("id_number", "name", "birth_date"):
                known_ids[(county_pk, number)] = (name, born)
        prints = [p.fingerprint for p in rows if not p.registration.child.id_number]
        for part in _chunks(prints):
            known_prints.update(
                (county_pk, fp)
                for fp in ImportedRecord.objects.filter(
                    county_id=county_pk, fingerprint__in=part
                ).values_list("fingerprint", flat=True)
            )
    for p in candidates:
        number = p.registration.child.id_number
        key = (p.county.pk, number)
        if number and key in known_ids:
            plan.existing += 1
            name, born = known_ids[key]
            child = p.registration.child
            if (name, born) != (normalise_name(child.name), child.birth_date):
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
        elif not number and (p.county.pk, p.fingerprint) in known_prints:
            plan.existing += 1
        else:
            plan.new.append(p)


@transaction.atomic
def census_check(
    *, actor: User | SystemActor, area: Area, content: bytes, filename: str
) -> ImportJob:
    """Check an upload and keep it, with what was found, for the preview."""
    job = ImportJob(
        created_by=actor if isinstance(actor, User) else None,
        actor_label=actor.get_username() if isinstance(actor, User) else str(actor),
        area=area,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
    try:
        plan = plan_import(actor=actor, area=area, content=content)
    except BadFile as exc:
        raise ValidationFailed(exc.message) from None
    job.rows = len(plan.sheet.rows)
    job.new_rows = len(plan.new)
    job.existing_rows = plan.existing
    job.error_count = plan.errors
    job.warning_count = plan.warnings
    job.issues = plan.issues
    job.save()
    return job


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


def import_census(
    *,
    actor: User | SystemActor,
    area: Area,
    content: bytes,
    filename: str,
    job: ImportJob | None = None,
    progress: Progress | None = None,
    evaluate_rules: bool = True,
) -> Committed:
    """Check and write in one transaction. Raises ``ValidationFailed`` (nothing written)
    listing the errors when any row has one."""
    say = progress or (lambda _m: None)
    with transaction.atomic():
        if job is not None:
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            if job.status != ImportJob.Status.CHECKED:
                raise ValidationFailed(_("This import has already been imported or discarded."))
        try:
            plan = plan_import(actor=actor, area=area, content=content, progress=progress)
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
        if job is None:
            job = ImportJob(
                created_by=actor if isinstance(actor, User) else None,
                actor_label=actor.get_username() if isinstance(actor, User) else str(actor),
                area=area,
                filename=filename[:255],
                sha256=hashlib.sha256(content).hexdigest(),
            )
        job.status = ImportJob.Status.COMMITTED
        job.content = None  # not kept once imported
        job.rows = len(plan.sheet.rows)
        job.new_rows = len(plan.new)
        job.existing_rows = plan.existing
        job.error_count = 0
        job.warning_count = plan.warnings
        job.issues = plan.issues
        job.committed_at = timezone.now()
        job.save()
        t0 = time.perf_counter()
        child_ids = _write(actor, job, plan.new)
        plan.timings["write"] = time.perf_counter() - t0
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
        if evaluate_rules and child_ids:
            transaction.on_commit(lambda: _evaluate(child_ids))
    return Committed(job, len(child_ids), plan.existing, child_ids, plan.timings)


def _evaluate(child_ids: list[int]) -> None:
    from shouwang.rules.services import children_reevaluate  # noqa: PLC0415

    children_reevaluate(children=Child.objects.filter(pk__in=child_ids))


class _Keys:
    """The registry's name keys (``registry.services._name_keys``), memoised per name."""

    def __init__(self) -> None:
        self.cache: dict[str, tuple[str, str, str]] = {}

    def __call__(self, name: str) -> dict[str, str]:
        keys = self.cache.get(name)
        if keys is None:
            # full_pinyin and pinyin_initials of lib.pinyin, from one pinyin conversion
            clean = normalise_name(name)
            syllables = _syllables(clean)
            keys = (
                clean,
                "".join(syllables).replace(" ", ""),
                "".join(s[0] for s in syllables if s),
            )
            self.cache[name] = keys
        return {"name": keys[0], "name_pinyin": keys[1], "name_initials": keys[2]}


def _write(  # noqa: PLR0915  (the records of child_register, field by field)
    actor: User | SystemActor, job: ImportJob, rows: list[PlannedRow]
) -> list[int]:
    """The records ``child_register`` writes for each row, in bulk."""
    if not rows:
        return []
    today = timezone.localdate()
    now = timezone.now()
    keys = _Keys()
    user_id = actor.pk if isinstance(actor, User) else None
    stamp = {"created_at": now, "updated_at": now}
    n = len(rows)
    household_ids = bulk.reserve_ids(Household, n)
    child_ids = bulk.reserve_ids(Child, n)
    carers = sum(
        1 for p in rows if p.registration.caregiver.relation not in PARENT_RELATIONS | {"none"}
    )
    person_ids = iter(bulk.reserve_ids(Person, 2 * n + carers))
    households: list[dict[str, Any]] = []
    children: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    absences: list[dict[str, Any]] = []
    cares: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    for p, household_id, child_id in zip(rows, household_ids, child_ids, strict=True):
        reg = p.registration
        h = reg.household
        households.append(
            {
                "id": household_id,
                "public_id": uuid.uuid4(),
                **stamp,
                "village_id": p.village.pk,
                "address": h.address,
                "main_income_source": h.main_income_source,
                "dibao": h.dibao,
                "tekun": h.tekun,
                "poverty_registered": h.poverty_registered,
            }
        )
        c = reg.child
        public_id = uuid.uuid4()
        children.append(
            {
                "id": child_id,
                "public_id": public_id,
                **stamp,
                **keys(c.name),
                "sex": c.sex,
                "birth_date": c.birth_date,
                "ethnicity": c.ethnicity,
                "id_number": c.id_number,
                "hukou_type": c.hukou_type,
                "household_id": household_id,
                "village_id": p.village.pk,
                "county_id": p.county.pk,
                "residence_address": c.residence_address,
                "school_id": None,
                "school_stage": c.school_stage,
                "grade": c.grade,
                "boarding": c.boarding,
                "health_status": c.health_status,
                "disability_type": c.disability_type,
                "disability_grade": c.disability_grade,
                "lives_alone": c.lives_alone,
                "left_unattended": c.left_unattended,
                "needs_special_care": c.needs_special_care,
                "poverty_hardship": c.poverty_hardship,
                "safety_concerns": list(c.safety_concerns),
                "confirmed_by_guardian": c.confirmed_by_guardian,
                "last_verified_on": today,
                "notes": c.notes,
                "registered_by_id": user_id,
            }
        )
        parents: dict[str, int] = {}
        for relation, data in (("father", reg.father), ("mother", reg.mother)):
            person_id = next(person_ids)
            parents[relation] = person_id
            people.append(
                {
                    "id": person_id,
                    "public_id": uuid.uuid4(),
                    **stamp,
                    "household_id": household_id,
                    **keys(data.name),
                    "sex": "male" if relation == "father" else "female",
                    "phone": data.phone,
                    "birth_year": data.birth_year,
                    "situation": data.situation,
                    "lacks_guardianship_capacity": data.lacks_guardianship_capacity,
                    "incapacity_reason": (
                        data.incapacity_reason if data.lacks_guardianship_capacity else ""
                    ),
                    **{attr: getattr(data, attr) for attr in PARENT_SITUATION_FACTS},
                }
            )
            relations.append({"child_id": child_id, "person_id": person_id, "relation": relation})
            if data.situation == "working_away":
                absences.append(
                    {
                        "person_id": person_id,
                        "work_place": data.work_place.strip(),
                        "since": data.away_since,
                        "return_pattern": data.return_pattern,
                        "contact_channel": data.contact_channel,
                    }
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
                {
                    "id": caregiver_id,
                    "public_id": uuid.uuid4(),
                    **stamp,
                    "household_id": household_id,
                    **keys(carer.name),
                    "sex": carer.sex,
                    "birth_year": carer.birth_year,
                    "phone": carer.phone,
                    "health": carer.health,
                    "literacy": carer.literacy,
                    "self_supporting": carer.self_supporting,
                    "infectious_disease": carer.infectious_disease,
                    "situation": Person.Situation.AT_HOME,
                }
            )
            relations.append(
                {"child_id": child_id, "person_id": caregiver_id, "relation": carer.relation}
            )
        cares.append(
            {
                "child_id": child_id,
                "caregiver_id": caregiver_id,
                "category": care_category(reg),
                "since": carer.since,
                "has_care_capacity": carer.has_care_capacity,
                "notice_to_school_on": carer.notice_to_school_on,
                "notice_to_village_on": carer.notice_to_village_on,
                "disqualifiers_checked": carer.disqualifiers_checked or bool(carer.disqualifiers),
                "disqualifiers": list(carer.disqualifiers),
                "child_views_heard": carer.child_views_heard,
            }
        )
        events.append(
            {
                "actor_id": user_id,
                "actor_label": job.actor_label,
                "action": AuditEvent.Action.CHILD_REGISTERED.value,
                "target_type": Child._meta.label_lower,
                "target_id": str(public_id),
                "area_id": p.village.pk,
                "occurred_at": now,
                "extra": {
                    "warnings": p.warnings,
                    "import": str(job.public_id),
                    "row": p.row.row_number,
                },
            }
        )
        records.append(
            {
                "job_id": job.pk,
                "child_id": child_id,
                "county_id": p.county.pk,
                "row_number": p.row.row_number,
                "fingerprint": p.fingerprint,
            }
        )
    bulk.insert_rows(Household, households)
    bulk.insert_rows(Person, people)
    bulk.insert_rows(Child, children)
    bulk.insert_rows(ChildRelation, relations)
    bulk.insert_rows(ParentAbsence, absences)
    bulk.insert_rows(CareArrangement, cares)
    bulk.insert_rows(AuditEvent, events)
    bulk.insert_rows(ImportedRecord, records)
    return child_ids


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
