"""Benchmark: the referral route at county scale.

The provider's inbox, an accepted referral's page and the supervisor's overdue list, with a
referrals table of two referrals per child spread over ten organisations in every status,
and the cost of ``can_on`` on the referral route (one query). Run:

    pytest -m benchmark bench/test_referrals_bench.py -s                      # SQLite
    scripts/with-postgres pytest -m benchmark bench/test_referrals_bench.py -s

The demo generator builds the county (its ``provider`` user works for the demo's
social-work organisation); the referrals are bulk-inserted. Each page is requested 40 times
through Django's test client (the whole server path). Results: docs/benchmarks.md.
"""

import datetime as dt
import itertools
import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can_on
from shouwang.accounts.models import Organisation, RoleAssignment, User
from shouwang.demo.generator import demo_generate
from shouwang.referrals.models import Referral
from shouwang.registry.models import Child
from shouwang.services.models import ServiceType
from shouwang.testing.factories import OrganisationFactory

REQUESTS = 40
STATUSES = ["pending", "accepted", "declined", "completed", "withdrawn"]


def _measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)
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


@pytest.mark.benchmark
@pytest.mark.django_db
@pytest.mark.parametrize("children", [5_000])
def test_the_referral_route_at_county_scale(children: int) -> None:
    started = time.perf_counter()
    demo_generate(children=children, today=dt.date(2026, 11, 29))
    provider = User.objects.get(username="provider")
    ngo = RoleAssignment.objects.get(user=provider).organisation
    assert ngo is not None
    others = [OrganisationFactory(org_type=Organisation.Type.NGO, area=ngo.area) for _ in range(9)]
    orgs = itertools.cycle([ngo, *others])
    services = list(ServiceType.objects.all())
    creator = User.objects.get(username="director")
    now = timezone.now()
    rows = []
    for i, child_id in enumerate(Child.objects.order_by("pk").values_list("pk", flat=True)):
        for j in range(2):
            k = 2 * i + j
            rows.append(
                Referral(
                    child_id=child_id,
                    service_type=services[k % len(services)],
                    need="需要服务",
                    to_organisation=next(orgs),
                    status=STATUSES[(k // 10) % len(STATUSES)],
                    respond_by=now + dt.timedelta(hours=72 - (k % 5) * 40),
                    created_by=creator,
                )
            )
    Referral.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    setup = time.perf_counter() - started

    accepted = Referral.objects.filter(to_organisation=ngo, status="accepted").first()
    assert accepted is not None
    client = Client()
    results = []
    for username, url in (
        ("provider", "/referrals/inbox/"),
        ("provider", f"/referrals/{accepted.public_id}/"),
        ("supervisor", "/referrals/?status=overdue"),
    ):
        client.force_login(User.objects.get(username=username))
        results.append((username, url[:30], *_measure(client, url)))

    provider = User.objects.get(username="provider")
    child = accepted.child
    can_on(provider, Cap.RECORD_DELIVERY, child)  # grants cached
    started = time.perf_counter()
    for _ in range(200):
        assert can_on(provider, Cap.RECORD_DELIVERY, child)
    per_call = (time.perf_counter() - started) / 200 * 1e6

    open_to_ngo = Referral.objects.filter(to_organisation=ngo, status__in=["pending", "accepted"])
    print(
        f"\n{connection.vendor}, {children:,} children, {len(rows):,} referrals "
        f"({open_to_ngo.count():,} open to the provider's organisation; setup {setup:.0f} s):"
    )
    for username, url, p50, p95, queries in results:
        print(f"  {username:<10} {url:<32} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {queries} queries")
    print(f"  can_on(provider, record_delivery, child): {per_call:.0f} µs a call, 1 query")
