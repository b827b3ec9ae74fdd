"""``shouwang escalate``: one escalation pass (and delivery of what it queued).

``shouwang worker`` runs the same pass in a loop; this command is for cron, or to run a
pass by hand. Safe to run while a worker runs: each report is claimed with a conditional
UPDATE.
"""

from typing import Any

from django.core.management.base import BaseCommand

from shouwang.notifications.services import deliver_due
from shouwang.safeguarding.services import escalate_due


class Command(BaseCommand):
    help = "Escalate every mandatory report not acknowledged in time (one pass)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-deliver", action="store_true", help="Queue the notifications, do not send."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = escalate_due()
        self.stdout.write(f"escalation: {counts}")
        if not options["no_deliver"]:
            self.stdout.write(f"delivery: {deliver_due()}")
