"""Reads for import and export: the export rows (scoped), a user's own import jobs."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, scope
from shouwang.core.errors import NotFound
from shouwang.geo.models import Area
from shouwang.imports.models import ImportJob
from shouwang.imports.workbooks import village_label
from shouwang.registry.models import CareArrangement, Child, ChildRelation, ParentAbsence

EXPORT_CHUNK = 2000


def export_children(*, viewer: Actor, area: Area | None = None) -> QuerySet[Child]:
    qs = scope(viewer, Cap.EXPORT_REGISTRY, Child.objects.all())
    if area is not None:
        qs = qs.filter(village__path__startswith=area.path)
    return qs.order_by("village__path", "name_pinyin", "pk")


def export_rows(children: QuerySet[Child]) -> Iterator[dict[str, Any]]:
    """One dict per child, keyed like the template's columns, in chunks of a few queries."""
    relations = Prefetch(
        "relations",
        queryset=ChildRelation.objects.select_related("person").prefetch_related(
            Prefetch(
                "person__absences", queryset=ParentAbsence.objects.filter(ended_on__isnull=True)
            )
        ),
    )
    care = Prefetch(
        "care_arrangements",
        queryset=CareArrangement.objects.filter(ended_on__isnull=True).select_related("caregiver"),
    )
    base = children.select_related("village__parent", "household", "school").prefetch_related(
        relations, care
    )
    last = 0
    ordered = base.order_by("pk")
    while True:
        chunk = list(ordered.filter(pk__gt=last)[:EXPORT_CHUNK])
        if not chunk:
            return
        for child in chunk:
            yield _row(child)
        last = chunk[-1].pk


def _row(child: Child) -> dict[str, Any]:
    h = child.household
    row: dict[str, Any] = {
        "village": village_label(child.village),
        "name": child.name,
        "sex": child.sex,
        "birth_date": child.birth_date,
        "id_number": child.id_number,
        "ethnicity": child.ethnicity,
        "hukou_type": child.hukou_type,
        "school_stage": child.school_stage,
        "school": child.school.name_zh if child.school is not None else "",
        "grade": child.grade,
        "boarding": child.boarding,
        "health_status": child.health_status,
        "disability_type": child.disability_type,
        "disability_grade": child.disability_grade,
        "residence_address": child.residence_address,
        "household_address": h.address,
        "income_source": h.main_income_source,
        "dibao": h.dibao,
        "tekun": h.tekun,
        "poverty_registered": h.poverty_registered,
        "confirmed_by_guardian": child.confirmed_by_guardian,
        "notes": child.notes,
    }
    by_relation = {r.relation: r for r in child.relations.all()}
    for who in ("father", "mother"):
        rel = by_relation.get(who)
        if rel is None:
            continue
        p = rel.person
        absences = list(p.absences.all())
        row |= {
            f"{who}_name": p.name,
            f"{who}_situation": p.situation,
            f"{who}_birth_year": p.birth_year,
            f"{who}_phone": p.phone,
            f"{who}_work_place": absences[0].work_place if absences else "",
            f"{who}_away_since": absences[0].since if absences else None,
            f"{who}_return_pattern": absences[0].return_pattern if absences else "",
        }
    care = next(iter(child.care_arrangements.all()), None)
    if care is not None:
        if care.caregiver is None:
            row["carer_relation"] = "none"
        else:
            rel = next((r for r in child.relations.all() if r.person_id == care.caregiver_id), None)
            row["carer_relation"] = rel.relation if rel else ""
            if rel is not None and rel.relation not in ("father", "mother"):
                row |= {
                    "carer_name": care.caregiver.name,
                    "carer_birth_year": care.caregiver.birth_year,
                    "carer_phone": care.caregiver.phone,
                }
    return row


def access_job(user: Actor, public_id: str) -> ImportJob:
    """An import job, for the user who uploaded it only; anything else is not found."""
    import uuid  # noqa: PLC0415

    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("not found") from None
    job = (
        ImportJob.objects.filter(public_id=key, created_by_id=getattr(user, "pk", None))
        .select_related("area")
        .first()
    )
    if job is None:
        raise NotFound("not found")
    return job


def importable_schools(*, viewer: Actor) -> QuerySet[Any]:
    from shouwang.registry.selectors import schools_for_viewer  # noqa: PLC0415

    return schools_for_viewer(viewer=viewer, cap=Cap.IMPORT_CENSUS)


def importable_villages(*, viewer: Actor) -> QuerySet[Area]:
    from shouwang.registry.selectors import villages_for_viewer  # noqa: PLC0415

    return villages_for_viewer(viewer=viewer, cap=Cap.IMPORT_CENSUS)
