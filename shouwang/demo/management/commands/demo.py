"""``shouwang demo``: generate the fictional demo town and print its logins.

Output is bilingual plain text (a console tool used by Chinese- and English-speaking
operators alike). ``--if-empty`` makes the command safe to run at every container start:
with children already in the database it only prints the logins and exits 0.
"""

import datetime as dt
import time
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from shouwang.accounts.models import RoleAssignment
from shouwang.audit.models import AuditEvent
from shouwang.cases.models import CarePlan, Case, ContactLog, PlanAction, Visit
from shouwang.cases.services import cases_open_missing
from shouwang.core.db import analyze
from shouwang.demo.generator import (
    DEFAULT_CHILDREN,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    DemoAlreadyPresent,
    DemoLogin,
    DemoSummary,
    demo_generate,
    demo_logins,
    demo_present,
)
from shouwang.demo.history import history_generate
from shouwang.demo.town import COUNTY_CODE
from shouwang.geo.models import Area
from shouwang.insights.indicators import add_months
from shouwang.insights.services import stats_refresh
from shouwang.registry.models import Child, ChildRelation, Household, Person
from shouwang.rules.models import Classification
from shouwang.rules.services import children_reevaluate
from shouwang.services.models import Activity, Attendance, ServiceDelivery

INSIGHT_MONTHS = 12  # the dashboard's trend


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"not a date in the form YYYY-MM-DD: {value!r}"
        raise ArgumentTypeError(msg) from None


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        msg = "must be at least 1"
        raise ArgumentTypeError(msg)
    return number


class Command(BaseCommand):
    help = (
        "生成虚构的演示乡镇（河南省L市S镇）并打印演示账号。 "
        "Generate the fictional demo town (S-town, L city, Henan) and print the demo logins."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"随机种子 / random seed (default {DEFAULT_SEED}); same seed and --today, "
            "same data",
        )
        parser.add_argument(
            "--children",
            type=_positive,
            default=DEFAULT_CHILDREN,
            help=f"儿童人数 / number of children (default {DEFAULT_CHILDREN})",
        )
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="以此日期计算年龄 / the date ages are computed on (YYYY-MM-DD, default today)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="已有数据时只打印账号 / with data already present, only print the logins",
        )
        parser.add_argument(
            "--no-classify",
            action="store_true",
            help="生成后不运行法规规则 / do not evaluate the rules for the generated children",
        )
        parser.add_argument(
            "--allow-existing",
            action="store_true",
            help="库中已有其他儿童时仍生成 / generate even though other children exist",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and demo_present():
            self.stdout.write("演示数据已存在 / demo data already present")
            self._logins(demo_logins())
            return
        try:
            summary = demo_generate(
                seed=options["seed"],
                children=options["children"],
                today=options["today"],
                allow_existing=options["allow_existing"],
            )
        except DemoAlreadyPresent as exc:
            msg = (
                f"{exc.message}\n未生成演示数据 / demo data not generated "
                "(--if-empty: 已有数据时只打印账号 / only print the logins)"
            )
            raise CommandError(msg) from exc
        self._summary(summary)
        if not options["no_classify"]:
            started = time.monotonic()
            seen, _changed = children_reevaluate(asof=summary.today)
            opened = cases_open_missing()
            analyze(Child, Household, Person, ChildRelation, Classification, Case, AuditEvent)
            self.stdout.write(
                f"  规则评估 rules evaluated for {seen:,} children, "
                f"个案 {opened:,} cases opened, in {time.monotonic() - started:.1f} s"
            )
            started = time.monotonic()
            history = history_generate(seed=summary.seed, today=summary.today)
            analyze(ServiceDelivery, Visit, ContactLog, Activity, Attendance, CarePlan, PlanAction)
            county = Area.objects.select_related("level").get(code=COUNTY_CODE)
            refreshed = sum(
                stats_refresh(root=county, month=add_months(summary.today, -i))
                for i in range(INSIGHT_MONTHS)
            )
            self.stdout.write(
                f"  服务 services {history.deliveries:,} · 走访 visits {history.visits:,} · "
                f"活动 activities {history.activities:,} ({history.attendance:,} 人次 attended) · "
                f"计划 plans {history.plans:,} · 转介 referrals {history.referrals:,} · "
                f"志愿者 volunteers {history.volunteers:,} · 报告 reports {history.reports:,} · "
                f"联系 contacts {history.contacts:,}\n"
                f"  指标 indicators: {INSIGHT_MONTHS} 个月 months, {refreshed:,} rows, "
                f"in {time.monotonic() - started:.1f} s"
            )
        self._logins(list(summary.logins))

    def _summary(self, s: DemoSummary) -> None:
        rate = s.rows / s.seconds if s.seconds else 0.0
        lines = [
            self.style.SUCCESS(
                "演示数据已生成 / demo data generated: 河南省L市X县S镇 (S-town, L city)"
            ),
            f"  种子 seed {s.seed} · 日期 today {s.today.isoformat()}",
            f"  儿童 children      {s.children:>8,}",
            f"  家庭 households    {s.households:>8,}",
            f"  家庭成员 people    {s.people:>8,}",
            f"  亲属关系 relations {s.relations:>8,}",
            f"  外出记录 absences  {s.absences:>8,}",
            f"  照料安排 care      {s.care_arrangements:>8,}",
            f"  联系记录 contacts  {s.contacts:>8,}",
            f"  区划 areas {s.areas} · 机构 organisations {s.organisations}",
            f"  用时 time {s.seconds:.1f} s ({rate:,.0f} 行/秒 rows/s)",
        ]
        self.stdout.write("\n".join(lines))

    def _logins(self, logins: list[DemoLogin]) -> None:
        if not logins:
            self.stdout.write("未找到演示账号 / no demo logins found")
            return
        self.stdout.write(f"\n演示账号 / demo logins (密码 password: {DEMO_PASSWORD})")
        header = f"  {'username':<11} {'role':<30} {'area'}"
        self.stdout.write(header)
        for login in logins:
            area = f"{login.area_zh} {login.area_en}"
            if login.organisation:
                area = f"{area} · {login.organisation}"
            self.stdout.write(f"  {login.username:<11} {_role_label(login.role):<30} {area}")


def _role_label(role: str) -> str:
    """The role's English label (translation catalogues may not be compiled in a CLI)."""
    with translation.override("en"):
        return str(RoleAssignment.Role(role).label)
