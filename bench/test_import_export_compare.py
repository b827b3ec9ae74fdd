"""Benchmark: the census import side by side with django-import-export on the same file.

    scripts/with-postgres .venv/bin/pytest -m benchmark bench/test_import_export_compare.py \
        -s -p no:cacheprovider
    BENCH_COMPARE_ROWS=5000 .venv/bin/pytest -m benchmark bench/test_import_export_compare.py \
        -s -p no:cacheprovider   # SQLite, smaller

The same workbook (``shouwang.imports.synthetic``, 100,000 rows by default) is imported
twice, under the same load, into two identical counties (ID numbers are unique per county,
and each village name is looked up inside its own county):

- ours: ``import_census`` (every row checked by the registry's rules, 11 records and an
  audit event per child, all or nothing);
- django-import-export 4.4.3: a straightforward ``ModelResource`` for ``Child`` — the
  sheet's Chinese headers mapped to the child's fields with the library's widgets (date,
  text, a label→code widget for sex, a label→village widget), one ``Household`` made per
  child (the child's required foreign key), ``Resource.import_data`` with its defaults
  (row by row, in one transaction, no dry run). It writes 2 records per child and checks
  nothing the model does not, so the comparison favours it.

Both are printed with the ratio, and each beside a raw ``COPY`` of the sheet's rows on
PostgreSQL (``bench/test_import_census.py`` has the same COPY)."""

import os
import time
from pathlib import Path
from typing import Any

import pytest
import tablib
from django.db import connection
from import_export import fields, resources, widgets

from shouwang.audit.services import SystemActor
from shouwang.geo.models import Area
from shouwang.imports.columns import COLUMN_BY_KEY
from shouwang.imports.reader import read_sheet
from shouwang.imports.services import import_census
from shouwang.imports.synthetic import census_rows, write_xlsx
from shouwang.imports.workbooks import village_label
from shouwang.registry.models import Child, Household, Sex
from shouwang.testing.factories import make_area

ROWS = int(os.environ.get("BENCH_COMPARE_ROWS", "100000"))


def _county(code: str) -> tuple[Area, list[Area]]:
    province = Area.objects.filter(code="410000000000").first() or make_area(
        None, "province", "410000000000", "河南省", "Henan"
    )
    city = Area.objects.filter(code="410300000000").first() or make_area(
        province, "prefecture", "410300000000", "L市", "L City"
    )
    county = make_area(city, "county", f"{code}000000", f"县{code}", f"County {code}")
    villages = []
    for t in range(4):
        town = make_area(county, "township", f"{code}1{t:02d}000", f"T{t}镇", f"T{t}")
        for v in range(15):
            villages.append(  # noqa: PERF401
                make_area(town, "village", f"{code}1{t:02d}2{v:02d}", f"村{t}{v:02d}", f"V{t}{v}")
            )
    return county, villages


class LabelWidget(widgets.Widget):
    """A closed value written as its Chinese label (``男``) → its code (``male``)."""

    def __init__(self, choices: Any) -> None:
        super().__init__()
        self.codes = {str(label): code for code, label in choices} | {
            code: code for code, _l in choices
        }

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        return self.codes[str(value).strip()]


class VillageWidget(widgets.ForeignKeyWidget):
    """``T0镇·村000`` → the village of that name in the county."""

    def __init__(self, villages: list[Area]) -> None:
        super().__init__(Area)
        self.by_label = {village_label(v): v for v in villages}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        return self.by_label[str(value).strip()]


def child_resource(county: Area, villages: list[Area]) -> resources.ModelResource:
    def header(key: str) -> str:
        return COLUMN_BY_KEY[key].header_zh

    class ChildResource(resources.ModelResource):
        village = fields.Field(
            attribute="village", column_name=header("village"), widget=VillageWidget(villages)
        )
        name = fields.Field(attribute="name", column_name=header("name"))
        sex = fields.Field(
            attribute="sex", column_name=header("sex"), widget=LabelWidget(Sex.choices)
        )
        birth_date = fields.Field(
            attribute="birth_date",
            column_name=header("birth_date"),
            widget=widgets.DateWidget(format="%Y-%m-%d"),
        )
        id_number = fields.Field(
            attribute="id_number", column_name=header("id_number"), widget=widgets.CharWidget()
        )
        ethnicity = fields.Field(attribute="ethnicity", column_name=header("ethnicity"))
        grade = fields.Field(attribute="grade", column_name=header("grade"))

        class Meta:
            model = Child
            fields = ("village", "name", "sex", "birth_date", "id_number", "ethnicity", "grade")
            import_id_fields = ()  # every row is a new child

        def get_instance(self, instance_loader: Any, row: Any) -> None:
            return None

        def before_save_instance(self, instance: Child, row: Any, **kwargs: Any) -> None:
            instance.county = county
            instance.id_number = instance.id_number or ""
            instance.ethnicity = instance.ethnicity or ""
            instance.grade = instance.grade or ""
            instance.household = Household.objects.create(village=instance.village)

    return ChildResource()


@pytest.mark.benchmark
@pytest.mark.django_db(transaction=True)
def test_census_import_beside_django_import_export(tmp_path: Path) -> None:
    ours_county, _ = _county("410322")
    theirs_county, theirs_villages = _county("410323")
    path = tmp_path / "census.xlsx"
    write_xlsx(census_rows(ROWS, theirs_villages), path)  # labels: the same in both
    content = path.read_bytes()
    load = os.getloadavg()[0]

    t0 = time.perf_counter()
    ours = import_census(
        actor=SystemActor("bench"),
        area=ours_county,
        content=content,
        filename="census.xlsx",
        evaluate_rules=False,
    )
    t_ours = time.perf_counter() - t0
    assert ours.created == ROWS

    resource = child_resource(theirs_county, theirs_villages)
    t0 = time.perf_counter()
    dataset = tablib.Dataset().load(content, format="xlsx")
    t_load = time.perf_counter() - t0
    result = resource.import_data(dataset, dry_run=False, raise_errors=True)
    t_theirs = time.perf_counter() - t0
    assert not result.has_errors()
    assert Child.objects.filter(county=theirs_county).count() == ROWS

    print(
        f"\n{connection.vendor}, {ROWS:,} rows, 1-min load {load:.2f} at start:\n"
        f"  census import (parse, validate, 11 records + audit per child): {t_ours:.2f} s\n"
        f"  django-import-export ModelResource (tablib load {t_load:.2f} s, child + "
        f"household per row): {t_theirs:.2f} s\n"
        f"  django-import-export / census import = {t_theirs / t_ours:.1f}x"
    )
    if connection.vendor == "postgresql":
        sheet = read_sheet(content)
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            width = max(len(c) for _n, c in sheet.rows)
            cols = ", ".join(f"c{i} text" for i in range(width))
            cursor.execute(f"CREATE UNLOGGED TABLE bench_compare_staging ({cols})")
            with cursor.cursor.copy("COPY bench_compare_staging FROM STDIN") as copy:
                for _n, cells in sheet.rows:
                    copy.write_row([None if c == "" else str(c) for c in cells])
        raw = time.perf_counter() - t0
        print(
            f"  raw COPY of the rows: {raw:.2f} s; census import / COPY = {t_ours / raw:.0f}x, "
            f"django-import-export / COPY = {t_theirs / raw:.0f}x"
        )
