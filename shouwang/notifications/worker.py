"""The worker: django-tasks' database worker loop, interleaved with the periodic passes.

``shouwang worker`` is one process, one thread (``run``): it runs the queued tasks (the
delivery tasks that ``notify`` enqueues) as django-tasks-db's ``db_worker`` would, and every
``interval`` seconds it runs one *pass* of the periodic jobs that apps register
(``register_job``): ``escalate`` (safeguarding, order 10), then ``deliver`` (order 90: run
the queued tasks, re-enqueue every due outbox row whose task was lost, run the queue again).
``run_once`` runs one pass.

Jobs run in ``order`` (escalation before delivery, so the messages an escalation queues go
out in the same pass). A job that raises is logged and the others still run; the next pass
tries it again. Every job and every task must be safe to run in two workers at once (claim
with a conditional UPDATE) and safe to be killed at any point (work in transactions).
"""

import datetime as dt
import logging
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as DBWorker
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)

Job = Callable[[dt.datetime], Any]

# Tasks run per drain: a backlog cannot hold escalation up for more than this many tasks.
DRAIN_MAX_TASKS = 200


@dataclass(frozen=True)
class _Registered:
    name: str
    order: int
    job: Job


_JOBS: dict[str, _Registered] = {}


def register_job(name: str, job: Job, *, order: int = 50) -> None:
    _JOBS[name] = _Registered(name, order, job)


def jobs() -> list[_Registered]:
    return sorted(_JOBS.values(), key=lambda j: (j.order, j.name))


def run_once(now: dt.datetime | None = None) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for registered in jobs():
        try:
            results[registered.name] = registered.job(now or timezone.now())
        except Exception as exc:  # a broken job must not stop the others
            log.exception("worker job %s failed", registered.name)
            results[registered.name] = f"error: {exc}"
    return results


class TaskRunner(DBWorker):
    """django-tasks-db's worker in batch mode: ``drain`` runs the ready tasks (at most
    ``max_tasks``) and returns; it counts the outcomes of the delivery tasks it ran."""

    def __init__(
        self,
        *,
        backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
        max_tasks: int = DRAIN_MAX_TASKS,
        worker_id: str | None = None,
    ) -> None:
        super().__init__(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=1.0,
            batch=True,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        self.outcomes: Counter[str] = Counter()

    def drain(self) -> Counter[str]:
        self.outcomes = Counter()
        self._run_tasks = 0  # max_tasks counts per drain, not per process
        if self.running and isinstance(task_backends[self.backend_name], DatabaseBackend):
            super().run()
        return self.outcomes

    def run_task(self, db_task_result: DBTaskResult) -> None:
        from shouwang.notifications.tasks import deliver_notification  # noqa: PLC0415

        super().run_task(db_task_result)
        if db_task_result.task_path == deliver_notification.module_path:
            if db_task_result.status == TaskResultStatus.SUCCESSFUL:
                self.outcomes[db_task_result.return_value or "skipped"] += 1
            else:
                self.outcomes["error"] += 1


def deliver(now: dt.datetime, runner: TaskRunner | None = None) -> dict[str, int]:
    """The ``deliver`` job: run the queued tasks (the deliveries an escalation has just
    enqueued go first), re-enqueue every due row still pending (its task was lost, or its
    retry could not be deferred), and run those."""
    from shouwang.notifications import services  # noqa: PLC0415

    runner = runner or _active or TaskRunner()
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    counts.update(runner.drain())
    counts["enqueued"] = services.sweep(now)["enqueued"]
    for outcome, n in runner.drain().items():
        counts[outcome] = counts.get(outcome, 0) + n
    return counts


_active: TaskRunner | None = None  # the running ``shouwang worker``, whose drains obey signals


class Worker(TaskRunner):
    """``shouwang worker``: drain the queue every ``poll`` seconds, run a pass every
    ``interval`` seconds. The first SIGTERM or SIGINT lets the running task or pass finish
    (a second one exits at once); an idle worker exits at once."""

    def __init__(self, *, interval: float, poll: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pass_interval = interval
        self.poll = poll

        self._in_pass = False

    def run_pass(self) -> dict[str, Any]:
        self.running_task = self._in_pass = True  # a signal now waits for the pass to end
        try:
            close_old_connections()
            results = run_once()
            log.debug("worker pass: %s", results)
            return results
        finally:
            close_old_connections()
            self.running_task = self._in_pass = False

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        self.running_task = self._in_pass

    def run(self) -> None:  # type: ignore[override]
        global _active  # noqa: PLW0603
        _active = self
        next_pass = time.monotonic()
        try:
            while self.running:
                if time.monotonic() >= next_pass:
                    self.run_pass()
                    next_pass = time.monotonic() + self.pass_interval
                if self.running:
                    self.drain()
                if self.running:
                    time.sleep(max(0.0, min(self.poll, next_pass - time.monotonic())))
        finally:
            _active = None

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running or not self.running_task:
            self.reset_signals()
            sys.exit(0 if self.running else 1)
        log.warning("%s: stopping after the current task or pass", signal.strsignal(signum))
        self.running = False
