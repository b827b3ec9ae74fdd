"""``shouwang duplicates find [--county CODE]``: link the registry and fill the review queue."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shouwang.audit.services import SystemActor
from shouwang.duplicates.services import find_duplicates
from shouwang.geo.models import Area


class Command(BaseCommand):
    help = "Find likely duplicate children: `duplicates find [--county CODE]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["find"])
        parser.add_argument("--county", help="12-digit code of the county (default: all)")
        parser.add_argument("--threshold", type=float, default=None)

    def handle(self, *args: Any, **opts: Any) -> None:
        county = None
        if opts["county"]:
            county = Area.objects.filter(code=opts["county"], level__slug="county").first()
            if county is None:
                raise CommandError(f"no county with code {opts['county']}")
        kwargs = {"threshold": opts["threshold"]} if opts["threshold"] is not None else {}
        new, found, result = find_duplicates(
            actor=SystemActor("duplicates-find"), county=county, **kwargs
        )
        timing = ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
        self.stdout.write(
            f"{result.records} records; {found} likely duplicate pairs, {new} new in the queue"
            f" ({timing})"
        )
