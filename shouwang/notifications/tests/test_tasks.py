"""Delivery on django-tasks (database backend): one task per message, enqueued when the
writer's transaction commits; a task only prompts the claim, so duplicates, late tasks and
lost tasks are harmless; the worker's sweep re-enqueues whatever was stranded."""

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from shouwang.notifications import channels, services, worker
from shouwang.notifications.models import Notification
from shouwang.notifications.tasks import deliver_notification
from shouwang.safeguarding.vocabulary import Kind
from shouwang.testing.factories import UserFactory
from shouwang.testing.world import World

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
M = dt.timedelta(minutes=1)
PAYLOAD = {"report": "00000000-0000-0000-0000-000000000000", "area_zh": "东王村"}
Capture = Callable[..., Any]


class Counting:
    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.calls = 0

    def send(self, notification: object) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise channels.DeliveryError("relay down")


def _queued() -> list[tuple[str, Any, dt.datetime]]:
    """The delivery tasks waiting in the queue: (status, notification id, run after)."""
    return [
        (r.status, r.args_kwargs["args"][0], r.run_after)
        for r in DBTaskResult.objects.filter(task_path=deliver_notification.module_path)
    ]


def _row(user: object, **fields: Any) -> Notification:
    values = {
        "recipient": user,
        "channel": "in_app",
        "kind": Kind.UNROUTED,
        "payload": PAYLOAD,
        "created_at": T0,
        "next_attempt_at": T0,
        **fields,
    }
    return Notification.objects.create(**values)


# --- Enqueued on commit ---------------------------------------------------------------------


def test_a_message_enqueues_one_delivery_task_when_its_transaction_commits(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        (row,) = services.notify(recipients=[world.sam], kind=Kind.UNROUTED, payload=PAYLOAD)
        assert _queued() == []  # not before the commit
    assert [(status, pk) for status, pk, _ in _queued()] == [("READY", row.pk)]


def test_a_rolled_back_message_enqueues_nothing(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.notify(recipients=[world.sam], kind=Kind.UNROUTED, payload=PAYLOAD)
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert _queued() == []
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_committed_for_real_the_task_delivers_it(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = Counting()
    monkeypatch.setitem(channels._CHANNELS, "in_app", counter)
    user = UserFactory(email="")
    with transaction.atomic():
        (row,) = services.notify(recipients=[user], kind=Kind.UNROUTED, payload=PAYLOAD)
    assert len(_queued()) == 1
    assert worker.TaskRunner().drain() == {"sent": 1}
    row.refresh_from_db()
    assert row.state == "sent" and counter.calls == 1
    assert _queued()[0][0] == "SUCCESSFUL"


# --- A task only prompts the claim ----------------------------------------------------------


def test_a_task_for_a_delivered_row_does_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = Counting()
    monkeypatch.setitem(channels._CHANNELS, "in_app", counter)
    row = _row(world.sam)
    assert services.deliver_due(T0)["sent"] == 1
    with time_machine.travel(T0 + M, tick=False):
        assert deliver_notification.call(row.pk) is None
    deliver_notification.enqueue(row.pk)  # a duplicate or late task, through the queue
    assert worker.TaskRunner().drain() == {"skipped": 1}
    assert counter.calls == 1


def test_a_task_for_a_row_claimed_by_another_worker_does_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = Counting()
    monkeypatch.setitem(channels._CHANNELS, "in_app", counter)
    row = _row(world.sam)
    assert services._claim(row, T0, services.retry_policy())  # another worker has it
    assert services.deliver_by_id(row.pk, T0 + M) is None
    row.refresh_from_db()
    assert (row.state, row.attempts, counter.calls) == ("pending", 1, 0)


def test_a_task_for_a_missing_or_failed_row_does_nothing(world: World) -> None:
    failed = _row(world.sam, state="failed", next_attempt_at=None)
    assert services.deliver_by_id(failed.pk, T0) is None
    assert services.deliver_by_id(987654, T0) is None


def test_a_failed_attempt_reenqueues_its_task_for_when_the_backoff_ends(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    settings: object,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.SHOUWANG_NOTIFY_BACKOFF_SECONDS = 60  # type: ignore[attr-defined]
    monkeypatch.setitem(channels._CHANNELS, "in_app", Counting(failures=1))
    row = _row(world.sam)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliver_by_id(row.pk, T0) == "retry"
    assert _queued() == [("READY", row.pk, T0 + M)]
    row.refresh_from_db()
    assert row.next_attempt_at == T0 + M  # the existing backoff, unchanged


# --- The sweep ------------------------------------------------------------------------------


def test_the_sweep_reenqueues_a_stranded_row_and_only_that(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = Counting()
    monkeypatch.setitem(channels._CHANNELS, "in_app", counter)
    stranded = _row(world.sam)  # written, but its task was lost
    _row(world.sam, next_attempt_at=T0 + M)  # waiting for a retry: not yet due
    _row(world.sam, state="sent", next_attempt_at=None)
    _row(world.sam, state="failed", next_attempt_at=None)
    assert services.sweep(T0) == {"enqueued": 1}
    assert [(status, pk) for status, pk, _ in _queued()] == [("READY", stranded.pk)]
    assert worker.TaskRunner().drain() == {"sent": 1}
    stranded.refresh_from_db()
    assert stranded.state == "sent" and counter.calls == 1


def test_the_sweep_reenqueues_a_row_whose_worker_died_once_the_lease_ends(
    world: World, settings: object
) -> None:
    settings.SHOUWANG_NOTIFY_LEASE_SECONDS = 600  # type: ignore[attr-defined]
    row = _row(world.sam)
    assert services._claim(row, T0, services.retry_policy())  # then the worker died
    assert services.sweep(T0 + 9 * M) == {"enqueued": 0}
    assert services.sweep(T0 + 10 * M) == {"enqueued": 1}


# --- The worker -----------------------------------------------------------------------------


def test_a_drain_runs_at_most_its_share_of_the_queue(world: World) -> None:
    rows = [_row(world.sam) for _ in range(3)]
    for row in rows:
        deliver_notification.enqueue(row.pk)
    runner = worker.TaskRunner(max_tasks=2)
    assert runner.drain() == {"sent": 2}
    assert runner.drain() == {"sent": 1}
    assert runner.drain() == {}


def test_the_worker_loop_runs_a_pass_and_the_queue(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = _row(world.sam, next_attempt_at=T0 + M)
    deliver_notification.enqueue(row.pk)  # ready, but the row is not due yet
    passes: list[dict[str, Any]] = []
    loop = worker.Worker(interval=30, poll=0)
    real_pass = loop.run_pass

    def run_pass() -> dict[str, Any]:
        passes.append(real_pass())
        return passes[-1]

    def stop(seconds: float) -> None:
        loop.running = False

    monkeypatch.setattr(loop, "run_pass", run_pass)
    monkeypatch.setattr(worker.time, "sleep", stop)
    with time_machine.travel(T0, tick=False):
        loop.run()
    assert passes[0]["deliver"] == {
        "sent": 0,
        "retry": 0,
        "failed": 0,
        "skipped": 1,
        "enqueued": 0,
    }
    assert "escalate" in passes[0]
    assert worker._active is None


def test_worker_once_runs_one_pass(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    _row(world.sam)
    with time_machine.travel(T0, tick=False):
        call_command("worker", "--once")
    out = capsys.readouterr().out
    assert "escalate: " in out
    assert "deliver: {'sent': 1" in out
