"""Benchmark: a 100,000-row census sheet parsed, validated and committed in under 15 s on
PostgreSQL, set beside a raw COPY of the same rows into an unindexed text table.

    scripts/with-postgres .venv/bin/pytest -m benchmark bench/test_import_census.py \
        -s -p no:cacheprovider
    .venv/bin/pytest -m benchmark bench/test_import_census.py -s -p no:cacheprovider   # SQLite

Rows: see ``shouwang.imports.synthetic`` (85% with an ID number, two parents working away,
a grandmother caring). The rules are evaluated after commit; their time is measured on a
sample and reported separately (``children_reevaluate``).
"""

import cProfile
import os
import time
from pathlib import Path

import pytest
from django.db import connection

from shouwang.audit.services import SystemActor
from shouwang.core.errors import ValidationFailed
from shouwang.imports.reader import read_sheet
from shouwang.imports.services import import_census
from shouwang.imports.synthetic import census_rows, write_xlsx
from shouwang.registry.models import Child
from shouwang.testing.factories import make_area

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
LIMIT_SECONDS = 15.0


def _county():
    province = make_area(None, "province", "410000000000", "河南省", "Henan")
    city = make_area(province, "prefecture", "410300000000", "L市", "L City")
    county = make_area(city, "county", "410322000000", "L县", "L County")
    villages = []
    for t in range(4):
        town = make_area(county, "township", f"4103221{t:02d}000", f"T{t}镇", f"T{t}")
        for v in range(15):
            villages.append(  # noqa: PERF401
                make_area(town, "village", f"4103221{t:02d}2{v:02d}", f"村{t}{v:02d}", f"V{t}{v}")
            )
    return county, villages


def _server_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (0 elsewhere)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.benchmark
@pytest.mark.django_db(transaction=True)
def test_a_100000_row_census_imports_in_under_15_seconds(tmp_path: Path) -> None:
    county, villages = _county()
    path = tmp_path / "census.xlsx"
    t0 = time.perf_counter()
    write_xlsx(census_rows(ROWS, villages), path)
    made = time.perf_counter() - t0
    content = path.read_bytes()

    profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    load = os.getloadavg()[0]
    cpu0, server0 = time.process_time(), _server_cpu()
    t0 = time.perf_counter()
    if profile is not None:
        profile.enable()
    try:
        result = import_census(
            actor=SystemActor("bench"),
            area=county,
            content=content,
            filename="census.xlsx",
            evaluate_rules=False,
        )
    except ValidationFailed as exc:
        pytest.fail(f"{exc.message}: {exc.field_errors['issues'][:5]}")
    seconds = time.perf_counter() - t0
    if profile is not None:
        profile.disable()
        profile.dump_stats(os.environ["BENCH_PROFILE"])
    cpu, server = time.process_time() - cpu0, _server_cpu() - server0
    assert result.created == ROWS, result
    t = result.timings
    print(
        f"\nimport on {connection.vendor}: {ROWS:,} rows ({len(content) / 1e6:.1f} MB, written "
        f"in {made:.1f} s) parsed+validated+committed in {seconds:.2f} s "
        f"(read {t['read']:.2f}, validate {t['validate']:.2f}, match {t['match']:.2f}, "
        f"write {t['write']:.2f}); {ROWS / seconds:,.0f} rows/s; 1-min load {load:.2f} at "
        f"start; CPU: this process {cpu:.2f} s, database server {server:.2f} s"
    )
    if "server" in t:
        tables = ", ".join(f"{k[7:]} {v:.2f}" for k, v in t.items() if k.startswith("server:"))
        print(f"COPY until each ended (server, overlapped): {t['server']:.2f} s — {tables}")

    if connection.vendor == "postgresql":
        sheet = read_sheet(content)
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            width = max(len(c) for _n, c in sheet.rows)
            cols = ", ".join(f"c{i} text" for i in range(width))
            cursor.execute(f"CREATE UNLOGGED TABLE bench_staging ({cols})")
            with cursor.cursor.copy("COPY bench_staging FROM STDIN") as copy:
                for _n, cells in sheet.rows:
                    copy.write_row([None if c == "" else str(c) for c in cells])
        raw = time.perf_counter() - t0
        print(
            f"raw COPY of the same {ROWS:,} rows into an unindexed text table: {raw:.2f} s; "
            f"import / COPY = {seconds / raw:.1f}x (import / (read + COPY) = "
            f"{seconds / (raw + t['read']):.1f}x)"
        )

    sample = list(Child.objects.order_by("pk").values_list("pk", flat=True)[:1000])
    from shouwang.rules.services import children_reevaluate  # noqa: PLC0415

    t0 = time.perf_counter()
    children_reevaluate(children=Child.objects.filter(pk__in=sample))
    rules = time.perf_counter() - t0
    print(
        f"rules after commit: {len(sample)} children in {rules:.2f} s "
        f"({rules / len(sample) * 1000:.1f} ms/child; {ROWS} children ≈ "
        f"{rules / len(sample) * ROWS:.0f} s)"
    )
    if connection.vendor == "postgresql" and ROWS >= 100_000:
        assert seconds < LIMIT_SECONDS
