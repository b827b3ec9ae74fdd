"""``shouwang worker``: run every registered job (escalation, delivery…) in a loop."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from shouwang.notifications import worker


class Command(BaseCommand):
    help = "Run the background jobs (escalation of reports, delivery of notifications) in a loop."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between passes (default 30)."
        )
        parser.add_argument("--once", action="store_true", help="Run one pass and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            results = worker.run_once()
            if options["verbosity"] > 1 or options["once"]:
                for name, result in results.items():
                    self.stdout.write(f"{name}: {result}")
            if options["once"]:
                return
            time.sleep(options["interval"])
