import datetime as dt
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shouwang.geo.models import Area
from shouwang.insights.indicators import add_months, month_start
from shouwang.insights.services import roots, stats_refresh


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007  (a month, no time)
    except ValueError:
        msg = f"不是 YYYY-MM 格式的月份 / not a month in YYYY-MM: {value!r}"
        raise ArgumentTypeError(msg) from None


class Command(BaseCommand):
    help = "指标月表 / monthly indicators: refresh"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="重算月度指标 / recompute the monthly indicators")
        refresh.add_argument("--month", type=_month, help="YYYY-MM (default: this month)")
        refresh.add_argument(
            "--months", type=int, default=1, help="以及之前的月数 / and this many months back"
        )
        refresh.add_argument("--area", help="区划代码 / division code (default: every root)")

    def handle(self, *args: Any, **options: Any) -> None:
        last = month_start(options["month"] or timezone.localdate())
        if options["area"]:
            area = Area.objects.select_related("level").filter(code=options["area"]).first()
            if area is None:
                msg = f"没有这个区划 / no such area: {options['area']}"
                raise CommandError(msg)
            areas = [area]
        else:
            areas = roots()
        total = 0
        for i in range(max(options["months"], 1) - 1, -1, -1):
            month = add_months(last, -i)
            for area in areas:
                total += stats_refresh(root=area, month=month)
        self.stdout.write(f"指标已更新 / indicators refreshed: {total:,} rows")
