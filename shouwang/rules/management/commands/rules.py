"""``shouwang rules``: the rule catalogue and evaluations, for auditors.

``shouwang rules list [--json]`` prints every rule with its version, effective dates,
jurisdiction, citations and source grade. ``shouwang rules evaluate SITUATION.json
[--params OVERLAY.json]`` prints the JSON evaluation of one situation (schema and examples in
docs/rules.md). Bad input (unreadable file, malformed JSON, a bad field) is reported on
stderr, naming the field, with exit status 2. Neither needs a database.

``shouwang rules reevaluate [--asof DATE] [--county CODE]`` is the scheduled job: it
re-evaluates every registered child (or a county's) and stores what changed
(docs/operations.md).
"""

import datetime as dt
import json
import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from shouwang.rules.engine import (
    CATALOGUE,
    NATIONAL,
    ParameterError,
    ParameterSet,
    SituationError,
    evaluate_all,
    evaluation_to_json,
    load_overlay,
    situation_from_json,
)

BAD_INPUT = 2


def _bad_input(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def _problems(source: str, what: str, errors: list[tuple[str, str]]) -> str:
    lines = [f"{source}: {what}:"]
    lines.extend(f"  {path}: {problem}" for path, problem in errors)
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "列出规则，或评估一个儿童情况文件（JSON）。 "
        "List the rules, or evaluate a child's situation file (JSON)."
    )
    requires_system_checks: list[str] = []  # an auditor's tool: no database, no checks

    def add_arguments(self, parser: ArgumentParser) -> None:
        languages = [code for code, _name in settings.LANGUAGES]
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{list,evaluate,reevaluate}"
        )
        again = actions.add_parser(
            "reevaluate",
            help="重新评估已登记儿童（定时任务） / re-evaluate registered children (scheduled job)",
        )
        again.add_argument(
            "--asof",
            type=dt.date.fromisoformat,
            help="评估日期 / evaluate as of YYYY-MM-DD (default: today)",
        )
        again.add_argument(
            "--county", help="只评估该县（区划代码） / only this county (division code)"
        )
        listing = actions.add_parser("list", help="列出全部规则 / list every rule")
        listing.add_argument("--json", action="store_true", help="输出JSON / print JSON")
        listing.add_argument(
            "--language", choices=languages, help="输出语言 / language of the titles"
        )
        evaluating = actions.add_parser(
            "evaluate", help="评估一个情况文件 / evaluate a situation file"
        )
        evaluating.add_argument(
            "situation", help="情况文件 / SITUATION.json (- reads standard input)"
        )
        evaluating.add_argument(
            "--params",
            metavar="OVERLAY.json",
            help="省、县参数覆盖文件 / a province or county parameter overlay",
        )
        evaluating.add_argument(
            "--language", choices=languages, help="说明语言 / language of the messages"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options.get("language") or settings.LANGUAGE_CODE):
            if options["action"] == "list":
                self._list(as_json=options["json"])
            elif options["action"] == "reevaluate":
                self._reevaluate(options.get("asof"), options.get("county"))
            else:
                self._evaluate(options["situation"], options.get("params"))

    def _reevaluate(self, asof: "dt.date | None", county: str | None) -> None:
        # The database is needed here only: imported late so that `list` and `evaluate`
        # stay usable on an auditor's machine with no database.
        from shouwang.registry.models import Child  # noqa: PLC0415
        from shouwang.rules.services import children_reevaluate  # noqa: PLC0415

        children = Child.objects.all()
        if county:
            children = children.filter(county__code=county)
            if not children.exists():
                raise _bad_input(f"no registered child in county {county!r}")
        started = time.monotonic()
        seen, changed = children_reevaluate(asof=asof, children=children)
        self.stdout.write(
            f"评估 evaluated {seen:,} · 有变化 changed {changed:,} · "
            f"{time.monotonic() - started:.1f} s"
        )

    def _list(self, *, as_json: bool) -> None:
        if as_json:
            rules = [rule.to_json() for rule in CATALOGUE]
            self.stdout.write(json.dumps(rules, ensure_ascii=False, indent=2))
            return
        for rule in CATALOGUE:
            spec = rule.spec
            until = spec.effective_to.isoformat() if spec.effective_to else "…"
            self.stdout.write(f"{spec.rule_id}  {spec.version}  {spec.title}")
            self.stdout.write(
                f"  {spec.effective_from.isoformat()} – {until}  {spec.jurisdiction}  "
                f"[{spec.grade}]"
            )
            for citation in spec.citations:
                parts = [citation.number, f"《{citation.title}》", citation.article]
                cited = " ".join(part for part in parts if part)
                self.stdout.write(f"  {cited} [{citation.grade}]")
            self.stdout.write(f"  parameters: {', '.join(spec.parameter_keys)}")

    def _evaluate(self, path: str, overlay: str | None) -> None:
        params = self._params(overlay)
        data = self._read_json(path)
        source = "standard input" if path == "-" else path
        try:
            situation = situation_from_json(data)
        except SituationError as error:
            raise _bad_input(_problems(source, "bad situation", error.errors)) from None
        try:
            evaluation = evaluate_all(situation, params)
        except KeyError as error:  # a parameter with no value in force on asof
            raise _bad_input(f"{source}: {error.args[0]}") from None
        self.stdout.write(json.dumps(evaluation_to_json(evaluation), ensure_ascii=False, indent=2))

    def _params(self, overlay: str | None) -> ParameterSet:
        if overlay is None:
            return NATIONAL
        try:
            return load_overlay(overlay)
        except OSError as error:
            raise _bad_input(f"{overlay}: cannot read ({error.strerror})") from None
        except ParameterError as error:
            raise _bad_input(_problems(overlay, "bad parameter overlay", error.errors)) from None

    def _read_json(self, path: str) -> Any:
        source = "standard input" if path == "-" else path
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text("utf-8")
        except OSError as error:
            raise _bad_input(f"{source}: cannot read ({error.strerror})") from None
        except UnicodeDecodeError:
            raise _bad_input(f"{source}: is not UTF-8 text") from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise _bad_input(
                f"{source}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
            ) from None
