"""``shouwang assessments load [--dir DIR]``: load the instrument files into the database.

Idempotent: a version already loaded with the same definition is left as it is. A file whose
code and version are loaded with a *different* definition is refused (exit status 2) and
nothing is loaded: a published version is never changed, add a new version instead
(docs/assessments.md). A malformed file is reported with every problem and its JSON path.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shouwang.assessments import domain, loading, services

BAD_INPUT = 2


class Command(BaseCommand):
    help = "载入评估量表（JSON） / Load the assessment instruments (JSON files)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load}")
        load = actions.add_parser("load", help="载入量表 / load the instrument files")
        load.add_argument(
            "--dir",
            type=Path,
            default=None,
            help=f"量表目录 / directory of *.json files (default: {loading.INSTRUMENTS_DIR})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dir"]
        if directory is not None and not directory.is_dir():
            raise CommandError(f"{directory}: not a directory", returncode=BAD_INPUT)
        try:
            results = services.instrument_load_all(directory)
        except domain.InstrumentError as exc:
            lines = ["malformed instrument:"] + [f"  {p}: {problem}" for p, problem in exc.errors]
            raise CommandError("\n".join(lines), returncode=BAD_INPUT) from exc
        except (loading.InstrumentConflict, ValueError) as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from exc
        for row, created in results:
            state = "loaded" if created else "unchanged"
            self.stdout.write(f"{row.code}@{row.version}: {state}")
        if not results:
            self.stdout.write("no instrument files found")
