"""The worker's jobs: each app registers the periodic passes it needs (``register_job``);
``shouwang worker`` runs them all, again and again; ``run_once`` runs each once.

Jobs run in ``order`` (escalation before delivery, so the messages an escalation queues go
out in the same pass). A job that raises is logged and the others still run; the next pass
tries it again. Every job must be safe to run in two workers at once (claim with a
conditional UPDATE) and safe to be killed at any point (work in transactions).
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

log = logging.getLogger(__name__)

Job = Callable[[dt.datetime], Any]


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
