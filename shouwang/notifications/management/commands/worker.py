"""``shouwang worker``: the one background process. It runs the task queue (django-tasks,
database backend: the delivery of notifications) and, every ``--interval`` seconds, a pass of
the periodic jobs (escalation of reports; re-enqueueing any notification whose task was lost).
See shouwang/notifications/worker.py and docs/notifications.md."""

import logging
from typing import Any

from django.core.management.base import BaseCommand

from shouwang.notifications import worker


class Command(BaseCommand):
    help = (
        "Run the background work: the task queue (delivery of notifications) and, in a loop, "
        "the periodic passes (escalation of reports, re-enqueueing of stranded notifications)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between passes (default 30)."
        )
        parser.add_argument(
            "--poll",
            type=float,
            default=1.0,
            help="Seconds between looks at the task queue when it is empty (default 1).",
        )
        parser.add_argument(
            "--once", action="store_true", help="Run one pass (and the queue) and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] < 2:  # the db worker logs every empty poll
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        if options["once"]:
            for name, result in worker.run_once().items():
                self.stdout.write(f"{name}: {result}")
            return
        loop = worker.Worker(interval=options["interval"], poll=options["poll"])
        loop.configure_signals()
        try:
            loop.run()
        finally:
            loop.reset_signals()
