"""Benchmark: the welfare mix and the attendance page at county scale.

Issue 6's pages must stay usable on a county's data: the mix is four grouped queries over
the township's deliveries, activities, attendance and plan actions, so its time should grow
with the township's rows, not with Python work per row. Run:

    pytest -m benchmark bench/test_services_bench.py -s                      # SQLite
    scripts/with-postgres pytest -m benchmark bench/test_services_bench.py -s

Each size: the demo generator builds the county; every child gets five deliveries spread
over the last 180 days by organisations of every sector; every village holds one activity
a week over 26 weeks, attended by a third of its children; then each page is requested 40
times through Django's test client (middleware, access checks, queries, template) and
p50/p95 and query counts are printed. Results are recorded in docs/benchmarks.md.
"""

import datetime as dt
import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shouwang.accounts.models import Organisation, User
from shouwang.cases.services import cases_open_missing
from shouwang.demo.generator import demo_generate
from shouwang.geo.models import Area
from shouwang.registry.models import Child
from shouwang.services.models import Activity, Attendance, ServiceDelivery, ServiceType

REQUESTS = 40


def _measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm up
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def _load_services(today: dt.date) -> tuple[int, int, int]:
    recorder = User.objects.get(username="supervisor")
    orgs = list(Organisation.objects.order_by("pk"))
    types = list(ServiceType.objects.order_by("pk"))
    children = list(Child.objects.order_by("pk").values_list("pk", "village_id"))
    deliveries = [
        ServiceDelivery(
            child_id=pk,
            service_type=types[(pk + k) % len(types)],
            organisation=orgs[(pk * 7 + k) % len(orgs)] if (pk + k) % 9 else None,
            delivered_on=today - dt.timedelta(days=(pk * 13 + k * 37) % 180),
            duration_minutes=30 + (pk + k) % 4 * 30,
            recorded_by=recorder,
        )
        for pk, _village in children
        for k in range(5)
    ]
    ServiceDelivery.objects.bulk_create(deliveries, batch_size=5000)
    by_village: dict[int, list[int]] = {}
    for pk, village in children:
        by_village.setdefault(village, []).append(pk)
    activities = [
        Activity(
            title="周末活动",
            service_type=types[week % len(types)],
            held_on=today - dt.timedelta(days=7 * week),
            place="儿童之家",
            area_id=village,
            organiser=orgs[(village + week) % len(orgs)],
            recorded_by=recorder,
        )
        for village in by_village
        for week in range(26)
    ]
    Activity.objects.bulk_create(activities, batch_size=5000)
    created = Activity.objects.values_list("pk", "area_id")
    attendance = [
        Attendance(activity_id=activity, child_id=child, marked_by=recorder)
        for activity, village in created
        for i, child in enumerate(by_village[village])
        if (i + activity) % 3 == 0
    ]
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    return len(deliveries), len(activities), len(attendance)


@pytest.mark.benchmark
@pytest.mark.django_db
@pytest.mark.parametrize("children", [1_000, 50_000])
def test_welfare_mix_and_attendance_at_county_scale(children: int) -> None:
    today = dt.date(2026, 11, 29)
    started = time.perf_counter()
    demo_generate(children=children, today=today)
    cases_open_missing()
    n_deliveries, n_activities, n_attendance = _load_services(today)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    setup = time.perf_counter() - started

    director = User.objects.get(username="director")
    village = director.role_assignments.get().area
    activity = Activity.objects.filter(area=village).order_by("-held_on").first()
    town = Area.objects.get(
        code=User.objects.get(username="supervisor").role_assignments.get().area.code
    )
    client = Client()
    rows = []
    for username, url in (
        ("supervisor", "/services/mix/"),
        ("county", f"/services/mix/?town={town.code}"),
        ("director", f"/services/activities/{activity.public_id}/"),
    ):
        client.force_login(User.objects.get(username=username))
        p50, p95, queries = _measure(client, url)
        rows.append((username, url.split("?")[0][:28], p50, p95, queries))
    print(
        f"\n{connection.vendor}, {children:,} children, {n_deliveries:,} deliveries, "
        f"{n_activities:,} activities, {n_attendance:,} attendances (setup {setup:.0f} s):"
    )
    for username, url, p50, p95, queries in rows:
        print(f"  {username:<10} {url:<28} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {queries} queries")
