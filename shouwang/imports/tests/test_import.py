"""The import service: every row checked, all or nothing, same records as registering."""

import datetime as dt
import hashlib

import pytest
from django.db.models import Model
from django.test import override_settings
from django.utils import translation

from shouwang.audit.models import AuditEvent
from shouwang.core.errors import ValidationFailed
from shouwang.imports.columns import COLUMNS, parse_row, to_registration
from shouwang.imports.models import ImportedRecord, ImportJob
from shouwang.imports.reader import BadFile, read_sheet
from shouwang.imports.services import census_check, census_commit, import_census, plan_import
from shouwang.imports.tests.sheets import full_row, good_row, workbook
from shouwang.lib.idcard import make_id_number
from shouwang.registry.models import CareArrangement, Child, ChildRelation, ParentAbsence, Person
from shouwang.registry.services import child_register
from shouwang.rules.models import Classification
from shouwang.testing.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def _import(world: World, rows: list[dict], **kwargs: object):
    return import_census(
        actor=kwargs.pop("actor", world.sam),  # type: ignore[arg-type]
        area=kwargs.pop("area", world.town_a),  # type: ignore[arg-type]
        content=workbook(rows, **kwargs),  # type: ignore[arg-type]
        filename="census.xlsx",
    )


def _snapshot(obj: Model, skip: set[str]) -> dict[str, object]:
    base = {"id", "public_id", "created_at", "updated_at"} | skip
    return {
        f.attname: getattr(obj, f.attname)
        for f in type(obj)._meta.concrete_fields
        if f.attname not in base
    }


def _family(child: Child) -> dict[str, object]:
    rels = ChildRelation.objects.filter(child=child).select_related("person").order_by("relation")
    people = {
        r.relation: _snapshot(r.person, {"household_id"})
        | {
            "absences": [
                _snapshot(a, {"person_id"}) for a in ParentAbsence.objects.filter(person=r.person)
            ]
        }
        for r in rels
    }
    care = CareArrangement.objects.get(child=child)
    return {
        "child": _snapshot(child, {"household_id"}),
        "household": _snapshot(child.household, set()),
        "people": people,
        "care": _snapshot(care, {"child_id", "caregiver_id"}),
        "carer": ChildRelation.objects.get(child=child, person=care.caregiver).relation,
    }


def test_an_imported_row_is_recorded_exactly_as_the_registration_service_writes_it(
    world: World, django_capture_on_commit_callbacks
) -> None:
    row = good_row()
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(world, [row])
    assert result.created == 1
    imported = Child.objects.get(pk=result.child_ids[0])

    values = parse_row(2, {c.key: row.get(c.key, "") for c in COLUMNS}).values
    registration = to_registration(values)
    registration.child.id_number = make_id_number("410322", dt.date(2016, 4, 12), 126)
    by_service = child_register(
        actor=world.sam, village=world.village_a1, registration=registration
    ).child
    a, b = _family(imported), _family(by_service)
    a["child"].pop("id_number")  # type: ignore[union-attr]
    b["child"].pop("id_number")  # type: ignore[union-attr]
    assert a == b
    assert imported.name_pinyin == "zhaoxiaoyan"
    assert imported.name_initials == "zxy"
    event = AuditEvent.objects.get(action="child.registered", target_id=str(imported.public_id))
    assert event.actor == world.sam
    assert event.extra["import"] == str(result.job.public_id)
    assert AuditEvent.objects.filter(action="census.imported").count() == 1
    assert Classification.objects.filter(child=imported).exists()  # the rules ran


def test_importing_the_same_file_again_changes_nothing(world: World) -> None:
    rows = [good_row(), good_row(name="钱多多", id_number="", sex="男", birth_date="2015/3/1")]
    first = _import(world, rows)
    assert first.created == 2
    counts = (Child.objects.count(), Person.objects.count(), CareArrangement.objects.count())
    again = _import(world, rows)
    assert again.created == 0
    assert again.existing == 2
    assert (
        Child.objects.count(),
        Person.objects.count(),
        CareArrangement.objects.count(),
    ) == counts


def test_one_bad_row_means_nothing_is_written_and_every_error_is_listed(world: World) -> None:
    rows = [
        good_row(),
        good_row(name="", id_number="", birth_date="2010年13月3日"),
        good_row(name="钱多多", id_number=4.10322201604121e17),
        good_row(name="孙小", id_number="4.10322E+17", sex="未知"),
    ]
    before = Child.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        _import(world, rows)
    assert Child.objects.count() == before
    assert not ImportJob.objects.filter(status="committed").exists()
    listed = exc.value.field_errors["issues"]
    assert any(s.startswith("3:name:") for s in listed)
    assert any(s.startswith("3:birth_date:") for s in listed)
    assert any(s.startswith("4:id_number:") for s in listed)
    assert any(s.startswith("5:id_number:") for s in listed)
    assert any(s.startswith("5:sex:") for s in listed)


def test_the_registration_rules_apply_to_every_row(world: World) -> None:
    born = dt.date(2016, 4, 12)
    rows = [
        good_row(id_number=make_id_number("410322", born, 123)),  # odd sequence: a boy's number
        good_row(name="钱多多", id_number="", father_work_place=""),
        good_row(name="周周", id_number="", birth_date="2030-01-01"),
    ]
    plan = plan_import(actor=world.sam, area=world.town_a, content=workbook(rows))
    cells = {(i["row"], i["column"]) for i in plan.issues if i["level"] == "error"}
    assert (2, "id_number") in cells
    assert (3, "father_work_place") in cells
    assert (4, "birth_date") in cells


def test_scope_is_checked_on_every_row(world: World) -> None:
    rows = [good_row(), good_row(name="钱多多", id_number="", village="西李村")]
    plan = plan_import(actor=world.alice, area=world.village_a1, content=workbook(rows))
    assert [(i["row"], i["column"]) for i in plan.issues if i["level"] == "error"] == [
        (3, "village")
    ]
    plan = plan_import(actor=world.sam, area=world.town_a, content=workbook(rows))
    assert plan.errors == 0
    rows = [good_row(village="南张村")]
    plan = plan_import(actor=world.sam, area=world.town_a, content=workbook(rows))
    assert plan.errors == 1


def test_a_supervisor_cannot_import_into_another_town(world: World) -> None:
    with pytest.raises(ValidationFailed):
        plan_import(actor=world.bob, area=world.town_a, content=workbook([good_row()]))


def test_id_numbers_are_unique_in_the_county_and_the_file(world: World) -> None:
    number = make_id_number("410322", dt.date(2016, 4, 12), 124)
    rows = [good_row(id_number=number), good_row(name="赵小艳", id_number=number)]
    plan = plan_import(actor=world.sam, area=world.town_a, content=workbook(rows))
    assert [(i["row"], i["column"]) for i in plan.issues if i["level"] == "error"] == [
        (3, "id_number")
    ]
    Child.objects.filter(pk=world.qiang.pk).update(id_number=number)  # registered in Q-town
    plan = plan_import(actor=world.sam, area=world.town_a, content=workbook(rows[:1]))
    assert plan.existing == 1
    assert not plan.new
    assert plan.warnings == 1  # the registered child's name differs: said, not changed


def test_english_headers_and_a_title_row_are_read(world: World) -> None:
    row = good_row(sex="Female", school_stage="primary", father_situation="Working away")
    plan = plan_import(
        actor=world.sam, area=world.town_a, content=workbook([row], lang="en", title_rows=1)
    )
    assert plan.errors == 0, plan.issues
    assert plan.new[0].row.row_number == 3


def test_a_commit_checks_again_and_keeps_no_copy_of_the_file(world: World) -> None:
    no_id = good_row(id_number="", name="王小二")
    job = census_check(
        actor=world.sam,
        area=world.town_a,
        content=workbook([good_row(), no_id]),
        filename="a.xlsx",
    )
    assert job.error_count == 0
    result = census_commit(actor=world.sam, job=job)
    job.refresh_from_db()
    assert result.created == 2
    assert job.status == "committed"
    assert job.content is None
    with pytest.raises(ValidationFailed):
        census_commit(actor=world.sam, job=job)
    # The row without an ID number keeps its fingerprint (the one with an ID number is
    # found again by it); every row's child is in its audit event.
    (record,) = ImportedRecord.objects.filter(job=job)
    assert (record.row_number, record.child.name) == (3, "王小二")
    events = AuditEvent.objects.filter(action="child.registered", extra__import=str(job.public_id))
    assert sorted(e.extra["row"] for e in events) == [2, 3]


def _bad(content: bytes) -> str:
    with pytest.raises(BadFile) as exc:
        read_sheet(content)
    return exc.value.message


def test_a_csv_renamed_xlsx_is_refused_with_a_clear_message() -> None:
    assert "CSV" in _bad("儿童姓名,性别\n赵小燕,女\n".encode())


def test_a_corrupt_workbook_is_refused() -> None:
    content = workbook([good_row()])
    assert "damaged" in _bad(content[: len(content) // 2])  # a download cut short


def test_a_password_protected_workbook_is_refused() -> None:
    fake = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le")
    )
    assert "password" in _bad(fake)


@override_settings(SHOUWANG_IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused() -> None:
    assert "MB" in _bad(workbook([good_row()]))


def test_merged_header_cells_are_refused() -> None:
    assert "merged" in _bad(workbook([good_row()], merge_header=True))


def test_unknown_and_missing_columns_are_named() -> None:
    headers = [c.header_zh for c in COLUMNS]
    headers[2] = "是否留守"  # 性别 replaced by a column we do not know
    message = _bad(workbook([good_row()], headers=headers))
    assert "是否留守" in message
    assert "性别" in message


def test_an_empty_sheet_is_refused() -> None:
    assert "no rows" in _bad(workbook([]))
    assert "template" in _bad(workbook([], headers=["a", "b"]))


def test_the_file_checksum_is_kept(world: World) -> None:
    content = workbook([good_row()])
    job = census_check(actor=world.sam, area=world.town_a, content=content, filename="a.xlsx")
    assert job.sha256 == hashlib.sha256(content).hexdigest()


def test_in_small_chunks_the_result_is_the_same_as_checking_every_row_first(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of 2 rows: each chunk's "already registered" look-up is answered one chunk
    ahead of its writing (on PostgreSQL by the writer thread), after earlier chunks were
    written; the import's own children are never "already registered"."""
    monkeypatch.setattr("shouwang.imports.services.CHUNK", 2)
    born = dt.date(2015, 3, 1)
    rows = [
        good_row(
            name=f"钱{c}",
            id_number=make_id_number("410322", born, 11 + 2 * i),
            sex="男",
            birth_date="2015-03-01",
        )
        for i, c in enumerate("一二三四五")
    ] + [good_row(name=f"李{c}", id_number="", birth_date="2016/4/12") for c in "六七八"]
    first = _import(world, rows[:3] + rows[5:6])
    assert (first.created, first.existing) == (4, 0)
    second = _import(world, rows)
    assert (second.created, second.existing) == (4, 4)
    again = _import(world, rows)
    assert (again.created, again.existing) == (0, 8)
    with pytest.raises(ValidationFailed):  # an error in the last chunk: nothing written
        _import(world, [*rows, good_row(name="周九", id_number="", birth_date="2010年13月3日")])
    assert Child.objects.filter(name__in=[r["name"] for r in rows]).count() == 8


def test_school_disability_parents_birth_years_and_return_patterns_are_imported(
    world: World,
) -> None:
    row = full_row()
    with translation.override("zh-hans"):
        labels = {str(label) for _c, label in ParentAbsence.ReturnPattern.choices}
    assert row["father_return_pattern"] in labels, labels
    result = _import(world, [row])
    imported = Child.objects.get(pk=result.child_ids[0])
    assert imported.school == world.school
    assert (imported.disability_type, imported.disability_grade) == ("肢体残疾", 2)
    father = Person.objects.get(child_relations__child=imported, child_relations__relation="father")
    mother = Person.objects.get(child_relations__child=imported, child_relations__relation="mother")
    assert (father.birth_year, mother.birth_year) == (1985, 1987)
    assert father.absences.get().return_pattern == "spring_festival"
    assert mother.absences.get().return_pattern == "several_a_year"

    values = parse_row(2, {c.key: row.get(c.key, "") for c in COLUMNS}).values
    registration = to_registration(values)
    registration.child.school = world.school
    registration.child.id_number = make_id_number("410322", dt.date(2016, 4, 12), 126)
    by_service = child_register(
        actor=world.sam, village=world.village_a1, registration=registration
    ).child
    a, b = _family(imported), _family(by_service)
    a["child"].pop("id_number")  # type: ignore[union-attr]
    b["child"].pop("id_number")  # type: ignore[union-attr]
    assert a == b


def test_unknown_schools_bad_grades_and_return_patterns_are_errors(world: World) -> None:
    rows = [
        good_row(school="不存在的学校"),
        good_row(name="钱多多", id_number="", health_status="残疾", disability_grade="五级"),
        good_row(name="孙小", id_number="", father_return_pattern="天天"),
        good_row(name="李四", id_number="", disability_grade="1"),  # healthy child
        good_row(name="周五", id_number="", mother_birth_year="八七年"),
    ]
    with pytest.raises(ValidationFailed) as exc:
        _import(world, rows)
    listed = exc.value.field_errors["issues"]
    for prefix in (
        "2:school:",
        "3:disability_grade:",
        "4:father_return_pattern:",
        "5:disability_grade:",
        "6:mother_birth_year:",
    ):
        assert any(s.startswith(prefix) for s in listed), (prefix, listed)
