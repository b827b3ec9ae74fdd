"""``shouwang import census FILE.xlsx --area CODE [--user USERNAME] [--commit]``.

Checks every row and prints the problems by row and column; with ``--commit`` imports all
rows or none (the same service as the web upload). Console output, not translated pages:
the messages are the translated ones of the active language.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from shouwang.accounts.models import User
from shouwang.audit.services import SystemActor
from shouwang.core.errors import ApplicationError
from shouwang.geo.models import Area
from shouwang.imports.reader import BadFile
from shouwang.imports.services import import_census, plan_import


class Command(BaseCommand):
    help = "Import a census sheet: `import census FILE.xlsx --area CODE [--commit]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["census"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--area", required=True, help="12-digit code of the area")
        parser.add_argument("--user", help="import as this user (her scope applies)")
        parser.add_argument("--commit", action="store_true", help="write (default: check)")
        parser.add_argument("--language", default="zh-hans", help="language of the messages")

    def handle(self, *args: Any, **opts: Any) -> None:
        translation.activate(opts["language"])
        area = Area.objects.filter(code=opts["area"]).first()
        if area is None:
            raise CommandError(f"no area with code {opts['area']}")
        actor: User | SystemActor = SystemActor("census-import")
        if opts["user"]:
            user = User.objects.filter(username=opts["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {opts['user']}")
            actor = user
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        content = path.read_bytes()
        say = self.stdout.write
        try:
            if opts["commit"]:
                result = import_census(
                    actor=actor, area=area, content=content, filename=path.name, progress=say
                )
                say(f"created {result.created}, already registered {result.existing}")
                return
            plan = plan_import(actor=actor, area=area, content=content, progress=say)
        except BadFile as exc:
            raise CommandError(exc.message) from None
        except ApplicationError as exc:
            for line in getattr(exc, "field_errors", {}).get("issues", []):
                self.stderr.write(str(line))
            raise CommandError(str(exc.message)) from None
        for issue in plan.issues:
            say(f"{issue['row']}\t{issue['column']}\t{issue['level']}\t{issue['message']}")
        if plan.errors:
            raise CommandError(f"{plan.errors} errors: nothing would be imported")
