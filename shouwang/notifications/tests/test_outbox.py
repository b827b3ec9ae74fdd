"""The outbox: queued in the writer's transaction, delivered by the worker with a claim,
retried with exponential backoff, failures shown to administrators."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from shouwang.accounts.models import RoleAssignment
from shouwang.notifications import channels, services, worker
from shouwang.notifications.models import Notification
from shouwang.safeguarding.vocabulary import Kind
from shouwang.testing.factories import RoleAssignmentFactory
from shouwang.testing.world import World

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
M = dt.timedelta(minutes=1)
PAYLOAD = {"report": "00000000-0000-0000-0000-000000000000", "area_zh": "东王村"}


def _queue(*users: object) -> list[Notification]:
    with transaction.atomic():
        return services.notify(recipients=users, kind=Kind.UNROUTED, payload=PAYLOAD, now=T0)  # type: ignore[arg-type]


def test_an_unknown_kind_is_refused(world: World) -> None:
    with transaction.atomic(), pytest.raises(ValueError, match="unknown"):
        services.notify(recipients=[world.sam], kind="nope", payload={})


def test_in_app_always_and_email_when_there_is_an_address(world: World) -> None:
    world.sam.email = "sam@example.org"
    world.sam.save(update_fields=["email"])
    _queue(world.sam, world.carl)
    assert sorted(Notification.objects.values_list("recipient__username", "channel")) == [
        ("carl", "in_app"),
        ("sam", "email"),
        ("sam", "in_app"),
    ]
    counts = services.deliver_due(T0)
    assert counts["sent"] == 3
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]


def test_backoff_doubles_and_is_capped() -> None:
    policy = services.Retry(backoff_seconds=60, cap_seconds=600)
    assert [policy.backoff(n).total_seconds() for n in range(1, 6)] == [60, 120, 240, 480, 600]


class Flaky:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def send(self, notification: object) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise channels.DeliveryError("relay down")


def test_a_failing_delivery_is_retried_with_backoff_then_sent(
    world: World, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    settings.SHOUWANG_NOTIFY_BACKOFF_SECONDS = 60  # type: ignore[attr-defined]
    flaky = Flaky(failures=2)
    monkeypatch.setitem(channels._CHANNELS, "in_app", flaky)
    (row,) = _queue(world.sam)
    assert services.deliver_due(T0)["retry"] == 1
    row.refresh_from_db()
    assert (row.attempts, row.next_attempt_at, row.last_error) == (1, T0 + M, "relay down")
    assert services.deliver_due(T0 + M - dt.timedelta(seconds=1))["retry"] == 0  # not yet due
    assert services.deliver_due(T0 + M)["retry"] == 1
    row.refresh_from_db()
    assert row.next_attempt_at == T0 + M + 2 * M  # doubled
    assert services.deliver_due(T0 + 3 * M)["sent"] == 1
    row.refresh_from_db()
    assert row.state == "sent" and row.attempts == 3


def test_it_gives_up_after_the_last_attempt_and_the_administrator_sees_it(
    world: World, monkeypatch: pytest.MonkeyPatch, settings: object, client: Client
) -> None:
    settings.SHOUWANG_NOTIFY_MAX_ATTEMPTS = 2  # type: ignore[attr-defined]
    monkeypatch.setitem(channels._CHANNELS, "in_app", Flaky(failures=99))
    (row,) = _queue(world.sam)
    services.deliver_due(T0)
    assert services.deliver_due(T0 + dt.timedelta(hours=1))["failed"] == 1
    row.refresh_from_db()
    assert row.state == "failed" and row.attempts == 2
    assert services.deliver_due(T0 + dt.timedelta(days=1)) == {
        "sent": 0,
        "retry": 0,
        "failed": 0,
        "skipped": 0,
    }
    RoleAssignmentFactory(
        user=world.adam, role=RoleAssignment.Role.ADMINISTRATOR, area=world.county
    )
    client.force_login(world.adam)
    body = client.get(reverse("notifications:failures")).content.decode()
    assert "relay down" in body
    client.force_login(world.sam)
    assert client.get(reverse("notifications:failures")).status_code == 403


def test_no_address_fails_at_once(world: World) -> None:
    row = Notification.objects.create(
        recipient=world.sam,
        channel="email",
        kind=Kind.UNROUTED,
        payload=PAYLOAD,
        created_at=T0,
        next_attempt_at=T0,
    )
    assert services.deliver_due(T0)["failed"] == 1
    row.refresh_from_db()
    assert row.state == "failed" and "e-mail" in row.last_error


def test_two_workers_never_deliver_the_same_row_twice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = Flaky(failures=0)
    monkeypatch.setitem(channels._CHANNELS, "in_app", counter)
    _queue(world.sam)
    inner: dict[str, int] = {}
    outer = services.deliver_due(T0, after_scan=lambda: inner.update(services.deliver_due(T0)))
    assert inner["sent"] == 1 and outer["skipped"] == 1
    assert counter.calls == 1


def test_a_worker_killed_after_claiming_is_retried_after_the_lease(
    world: World, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    settings.SHOUWANG_NOTIFY_LEASE_SECONDS = 600  # type: ignore[attr-defined]

    class Killed:
        def send(self, notification: object) -> None:
            raise SystemExit("killed mid-send")

    monkeypatch.setitem(channels._CHANNELS, "in_app", Killed())
    (row,) = _queue(world.sam)
    with pytest.raises(SystemExit):
        services.deliver_due(T0)
    row.refresh_from_db()
    assert row.state == "pending" and row.attempts == 1
    monkeypatch.setitem(channels._CHANNELS, "in_app", channels.InAppChannel())
    assert services.deliver_due(T0 + 9 * M)["sent"] == 0  # still leased
    assert services.deliver_due(T0 + 10 * M)["sent"] == 1


def test_the_inbox_shows_only_her_own_and_counts_unread(world: World, client: Client) -> None:
    _queue(world.sam)
    _queue(world.carl)
    client.force_login(world.sam)
    response = client.get(reverse("notifications:inbox"))
    assert response.context["unread"] == 1
    assert len(response.context["rows"]) == 1
    client.post(reverse("notifications:mark_all_read"))
    assert client.get(reverse("notifications:inbox")).context["unread"] == 0
    assert Notification.objects.filter(recipient=world.carl, read_at__isnull=True).count() == 1


def test_the_worker_runs_escalation_before_delivery() -> None:
    names = [j.name for j in worker.jobs()]
    assert names.index("escalate") < names.index("deliver")


def test_one_worker_pass_runs_every_job(world: World) -> None:
    _queue(world.sam)
    with time_machine.travel(T0, tick=False):
        results = worker.run_once()
    assert results["deliver"]["sent"] == 1
    assert results["escalate"]["escalated"] == 0
