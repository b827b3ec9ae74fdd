"""The field study's diagnosis as numbers: the indicators of issue 7, computed in SQL.

Every indicator is one ``numerator / denominator`` (or a median, or a diversity index)
for an area's subtree and a period that ends on the last day of a calendar month. They are
defined, with their thresholds, in ``docs/indicators.md``; the thresholds are in one table
below (``THRESHOLDS``) and are **our choice**, not law and not the field study's.

How they are computed (DESIGN.md §6, "indicators are a read model"):

- One SQL statement per indicator group, written once for SQLite and PostgreSQL (only the
  date arithmetic differs, see ``_Dialect``), with conditional counts, ``COUNT(DISTINCT)``
  and window functions (``LAG`` for the days between contacts, ``ROW_NUMBER`` for medians).
  No query loads children's rows into Python: Python only sees one row per area (or per
  area and service domain, for the diversity index).
- Each statement groups by a *group key*: the first ``keylen`` characters of the child's
  village path (``geo.Area.path``, codes of fixed width). With ``keylen`` the length of the
  area's own path everything falls in one group (``indicators_for``); with the length of
  its villages' paths, one group per village (``indicators_by_child_area``). The same SQL
  answers both, so the village bars always add up to the town's headline.
- The population ("eligible children") is the registered children whose current
  classification says left-behind or in difficulty (``rules.Classification``), as today:
  the registry keeps no history of eligibility, so a past month's indicators use today's
  population (docs/indicators.md, "Limits").

Access is not checked here: these functions answer for an area; the views and the report
call them only for an area the viewer holds ``Cap.VIEW_INSIGHTS`` in (``selectors``).
"""

# ruff: noqa: S608  (the SQL is built only from table names and constants of this module;
# every value is a bound parameter)
from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.apps import apps
from django.db import connection
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Organisation
from shouwang.geo.models import Area
from shouwang.insights.models import MonthlyAreaStat
from shouwang.safeguarding.services import windows

Unit = Literal["share", "count", "days", "index", "yuan", "hours"]
Direction = Literal["min", "max"]

ELIGIBLE_RULES = ("left_behind", "in_difficulty")
# "Only material aid or visits" (单一的物质帮扶和走访慰问): the service types that count as
# the narrow mix, besides the visits of ``cases.Visit``.
NARROW_SERVICE_CODES = ("material_aid", "home_visit")
COVERAGE_DAYS = 90
WINDOW_DAYS = 365  # "the last 12 months" of the mix, participation and contact indicators
CONTINUITY_K, CONTINUITY_M = 3, 6  # served in at least k of the last m calendar months
WEEKS = 4  # weekly parent contact in each of the last 4 weeks (未成年人保护法 Art. 23)
RISK_LEVELS = ("urgent", "high", "medium", "low")
SECTORS = tuple(Organisation.Sector.values)


@dataclass(frozen=True)
class Threshold:
    """A value beyond ``limit`` (below it for "min", above it for "max") is a problem."""

    limit: float
    direction: Direction
    problem: str  # the field study's problem it signals (a key of ``PROBLEMS``)

    def breached(self, value: float | None) -> bool:
        if value is None:
            return False
        return value < self.limit if self.direction == "min" else value > self.limit


# The field study's four problems and the family/safety/resource causes (DESIGN.md §1).
PROBLEMS: dict[str, Promise] = {
    "single_content": _("Single service content"),
    "limited_coverage": _("Limited coverage and participation"),
    "scattered_responsibility": _("Care responsibility scattered"),
    "no_long_term": _("No long-term mechanism"),
    "family": _("Family upbringing function weakened"),
    "safety": _("Protection does not reach children in time"),
    "resources": _("Resources used inefficiently"),
}

# OUR CHOICE (documented in docs/indicators.md): where a number starts to show the problem.
THRESHOLDS: dict[str, Threshold] = {
    "coverage_90d": Threshold(0.80, "min", "limited_coverage"),
    "participation_12m": Threshold(0.30, "min", "limited_coverage"),
    "domains_per_child": Threshold(2.0, "min", "single_content"),
    "shannon_diversity": Threshold(1.0, "min", "single_content"),
    "narrow_mix_share": Threshold(0.50, "max", "single_content"),
    "named_responsible": Threshold(0.90, "min", "scattered_responsibility"),
    "actions_with_owner_org": Threshold(0.70, "min", "scattered_responsibility"),
    "sector_share_state": Threshold(0.80, "max", "scattered_responsibility"),
    "served_k_of_m": Threshold(0.50, "min", "no_long_term"),
    "followup_on_time": Threshold(0.80, "min", "no_long_term"),
    "median_days_between_contacts": Threshold(45.0, "max", "no_long_term"),
    "plans_reviewed_on_schedule": Threshold(0.80, "min", "no_long_term"),
    "weekly_contact_4w": Threshold(0.80, "min", "family"),
    "caregiver_capable": Threshold(0.90, "min", "family"),
    "safety_ack_median_hours": Threshold(24.0, "max", "safety"),
    "safety_within_deadline": Threshold(0.95, "min", "safety"),
    "volunteer_hours_used": Threshold(0.30, "min", "resources"),
    "funds_spent": Threshold(0.50, "min", "resources"),
}

LABELS: dict[str, Promise] = {
    "children_eligible": _("Left-behind and in-difficulty children"),
    "coverage_90d": _("Served or visited in the last 90 days"),
    "participation_12m": _("Took part in a group activity (12 months)"),
    "attendance_per_activity": _("Children per group activity (12 months)"),
    "domains_per_child": _("Service domains per served child (12 months)"),
    "shannon_diversity": _("Diversity of the service mix (Shannon index)"),
    "narrow_mix_share": _("Served children who got only material aid or visits"),
    "named_responsible": _("Children with a named responsible person"),
    "actions_with_owner_org": _("Plan actions with an owner organisation"),
    "sector_share_state": _("Services delivered by the state sector"),
    "sector_share_market": _("Services delivered by the market sector"),
    "sector_share_voluntary": _("Services delivered by the voluntary sector"),
    "sector_share_informal": _("Services delivered by the informal sector"),
    "served_k_of_m": _("Served in at least 3 of the last 6 months"),
    "followup_on_time": _("Open cases followed up on time"),
    "followup_on_time_urgent": _("Urgent-risk cases followed up on time"),
    "followup_on_time_high": _("High-risk cases followed up on time"),
    "followup_on_time_medium": _("Medium-risk cases followed up on time"),
    "followup_on_time_low": _("Low-risk cases followed up on time"),
    "median_days_between_contacts": _("Median days between services or visits"),
    "plans_reviewed_on_schedule": _("Care plans reviewed on schedule"),
    "weekly_contact_4w": _("Parents' contact logged in each of the last 4 weeks"),
    "caregiver_capable": _("Caregivers able to provide care"),
    "safety_reports": _("Mandatory reports filed (12 months)"),
    "safety_ack_median_hours": _("Median hours to acknowledge a report"),
    "safety_within_deadline": _("Reports acknowledged within the deadline"),
    "volunteer_hours_used": _("Volunteer hours used of those offered (this month)"),
    "funds_spent": _("Funds spent of those allocated"),
}

UNITS: dict[str, Unit] = {
    "children_eligible": "count",
    "attendance_per_activity": "count",
    "domains_per_child": "index",
    "shannon_diversity": "index",
    "median_days_between_contacts": "days",
    "safety_reports": "count",
    "safety_ack_median_hours": "hours",
}

# The headline indicators of the dashboard, one or two per problem of the field study.
HEADLINE = (
    "coverage_90d",
    "participation_12m",
    "narrow_mix_share",
    "shannon_diversity",
    "named_responsible",
    "sector_share_state",
    "served_k_of_m",
    "followup_on_time",
    "weekly_contact_4w",
    "safety_within_deadline",
)
# Indicators whose numerator and denominator add up across areas (the others are medians
# and indices: they are stored per area, never summed).
ADDITIVE = frozenset(LABELS) - {
    "shannon_diversity",
    "median_days_between_contacts",
    "safety_ack_median_hours",
}


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Promise
    value: float | None
    numerator: int
    denominator: int
    unit: Unit
    threshold: Threshold | None
    problem: bool

    @classmethod
    def make(
        cls, code: str, numerator: float, denominator: float, value: float | None = None
    ) -> Indicator:
        unit = UNITS.get(code, "share")
        if value is None and denominator:
            value = numerator / denominator
        if value is not None:
            value = round(value, 4)
        threshold = THRESHOLDS.get(code)
        return cls(
            code=code,
            label=LABELS[code],
            value=value,
            numerator=round(numerator),
            denominator=round(denominator),
            unit=unit,
            threshold=threshold,
            problem=bool(threshold and threshold.breached(value)),
        )

    @property
    def percent(self) -> float | None:
        return None if self.value is None or self.unit != "share" else round(self.value * 100, 1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_start(month: dt.date) -> dt.date:
    return month.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


# --- SQL --------------------------------------------------------------------------------


class _Dialect:
    """The only differences between SQLite and PostgreSQL that the indicators need."""

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"

    def day(self, col: str) -> str:
        """A date as a whole day number (differences are days)."""
        if self.pg:
            return f"({col} - DATE '2000-01-01')"
        return f"CAST(julianday({col}) AS INTEGER)"

    def hours(self, later: str, earlier: str) -> str:
        if self.pg:
            return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 3600.0)"
        return f"((julianday({later}) - julianday({earlier})) * 24.0)"

    def month(self, col: str) -> str:
        if self.pg:
            return f"to_char({col}, 'YYYY-MM')"
        return f"strftime('%%Y-%%m', {col})"

    def dt_param(self, value: dt.datetime) -> Any:
        return connection.ops.adapt_datetimefield_value(value)


def _table(app_model: str) -> str:
    return apps.get_model(app_model)._meta.db_table


@dataclass(frozen=True)
class _Q:
    """An area, a period and a grouping: the parameters every statement shares."""

    prefix: str  # the area's path: its subtree is ``path LIKE prefix || '%'``
    keylen: int  # group by the first ``keylen`` characters of the path
    end: dt.date  # the last day of the period (inclusive)

    def like(self) -> str:
        return self.prefix + "%"

    def days_before(self, days: int) -> dt.date:
        """The first day *after* this date is in a window of ``days`` days ending ``end``."""
        return self.end - dt.timedelta(days=days)


def _eligible_cte(q: _Q, *, rules: Sequence[str] = ELIGIBLE_RULES) -> tuple[str, list[Any]]:
    marks = ", ".join(["%s"] * len(rules))
    sql = f"""
        elig AS (
            SELECT c.id AS child_id, SUBSTR(v.path, 1, %s) AS gkey
            FROM {_table("registry.Child")} c
            JOIN {_table("geo.Area")} v ON v.id = c.village_id
            WHERE v.path LIKE %s
              AND EXISTS (
                SELECT 1 FROM {_table("rules.Classification")} k
                WHERE k.child_id = c.id AND k.ended_at IS NULL AND k.status = 'yes'
                  AND k.rule_id IN ({marks})
              )
        )"""
    return sql, [q.keylen, q.like(), *rules]


def _touch_cte(q: _Q, since: dt.date) -> tuple[str, list[Any]]:
    """Services and visits of eligible children after ``since`` up to the end: the
    "contacts" of coverage, continuity and the days between contacts."""
    sql = f"""
        touch AS (
            SELECT e.gkey, e.child_id, d.delivered_on AS day
            FROM elig e JOIN {_table("services.ServiceDelivery")} d ON d.child_id = e.child_id
            WHERE d.delivered_on > %s AND d.delivered_on <= %s
            UNION ALL
            SELECT e.gkey, e.child_id, x.visited_on AS day
            FROM elig e JOIN {_table("cases.Visit")} x ON x.child_id = e.child_id
            WHERE x.visited_on > %s AND x.visited_on <= %s
        )"""
    return sql, [since, q.end, since, q.end]


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


Groups = dict[str, dict[str, Indicator]]


def _put(out: Groups, gkey: str, indicator: Indicator) -> None:
    out.setdefault(gkey, {})[indicator.code] = indicator


def _population(q: _Q, out: Groups, dia: _Dialect) -> dict[str, int]:
    elig, p = _eligible_cte(q)
    lb, p2 = _eligible_cte(q, rules=("left_behind",))
    lb = lb.replace("elig AS", "lb AS", 1)
    since90 = q.days_before(COVERAGE_DAYS)
    since12 = q.days_before(WINDOW_DAYS)
    touch, tp = _touch_cte(q, since90)
    sql = f"""
        WITH {elig}, {touch},
        seen AS (SELECT DISTINCT child_id FROM touch),
        went AS (
            SELECT DISTINCT t.child_id
            FROM {_table("services.Attendance")} t
            JOIN {_table("services.Activity")} a ON a.id = t.activity_id
            WHERE a.held_on > %s AND a.held_on <= %s
        ),
        named AS (
            SELECT DISTINCT k.child_id FROM {_table("cases.Case")} k
            WHERE k.responsible_id IS NOT NULL AND k.opened_on <= %s
              AND (k.closed_on IS NULL OR k.closed_on > %s)
        )
        SELECT e.gkey,
               COUNT(*),
               SUM(CASE WHEN s.child_id IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN w.child_id IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN n.child_id IS NOT NULL THEN 1 ELSE 0 END)
        FROM elig e
        LEFT JOIN seen s ON s.child_id = e.child_id
        LEFT JOIN went w ON w.child_id = e.child_id
        LEFT JOIN named n ON n.child_id = e.child_id
        GROUP BY e.gkey"""
    params = [*p, *tp, since12, q.end, q.end, q.end]
    population: dict[str, int] = {}
    for gkey, total, seen, went, named in _rows(sql, params):
        population[gkey] = total
        _put(out, gkey, Indicator.make("children_eligible", total, 1, float(total)))
        _put(out, gkey, Indicator.make("coverage_90d", seen, total))
        _put(out, gkey, Indicator.make("participation_12m", went, total))
        _put(out, gkey, Indicator.make("named_responsible", named, total))
    # Weekly parent contact: among left-behind children, those with a logged contact in
    # each of the last ``WEEKS`` weeks (week 0 = the 7 days ending ``end``).
    since4w = q.days_before(7 * WEEKS)
    sql = f"""
        WITH {lb},
        weeks AS (
            SELECT l.gkey, l.child_id,
                   COUNT(DISTINCT ({dia.day("%s")} - {dia.day("g.contacted_on")}) / 7) AS n
            FROM lb l JOIN {_table("cases.ContactLog")} g ON g.child_id = l.child_id
            WHERE g.contacted_on > %s AND g.contacted_on <= %s
            GROUP BY l.gkey, l.child_id
        )
        SELECT l.gkey, COUNT(*), SUM(CASE WHEN w.n >= %s THEN 1 ELSE 0 END)
        FROM lb l LEFT JOIN weeks w ON w.child_id = l.child_id
        GROUP BY l.gkey"""
    for gkey, total, full in _rows(sql, [*p2, q.end, since4w, q.end, WEEKS]):
        _put(out, gkey, Indicator.make("weekly_contact_4w", full or 0, total))
    # The caregiver of today's care arrangement, for the eligible children who have one.
    sql = f"""
        WITH {elig}
        SELECT e.gkey, COUNT(*),
               SUM(CASE WHEN a.has_care_capacity THEN 1 ELSE 0 END)
        FROM elig e JOIN {_table("registry.CareArrangement")} a ON a.child_id = e.child_id
        WHERE a.ended_on IS NULL
        GROUP BY e.gkey"""
    for gkey, total, capable in _rows(sql, p):
        _put(out, gkey, Indicator.make("caregiver_capable", capable or 0, total))
    return population


def _mix(q: _Q, out: Groups) -> None:
    elig, p = _eligible_cte(q)
    since = q.days_before(WINDOW_DAYS)
    touch, tp = _touch_cte(q, since)
    narrow = ", ".join(["%s"] * len(NARROW_SERVICE_CODES))
    deliveries = f"""
        dl AS (
            SELECT e.gkey, e.child_id, t.domain, t.code, o.sector, d.volunteer_id,
                   d.organisation_id
            FROM elig e
            JOIN {_table("services.ServiceDelivery")} d ON d.child_id = e.child_id
            JOIN {_table("services.ServiceType")} t ON t.id = d.service_type_id
            LEFT JOIN {_table("accounts.Organisation")} o ON o.id = d.organisation_id
            WHERE d.delivered_on > %s AND d.delivered_on <= %s
        )"""
    dp = [since, q.end]
    # Per child: served at all (service or visit), domains, anything beyond the narrow mix.
    sql = f"""
        WITH {elig}, {touch}, {deliveries},
        served AS (SELECT DISTINCT gkey, child_id FROM touch),
        per_child AS (
            SELECT child_id, COUNT(DISTINCT domain) AS domains,
                   SUM(CASE WHEN code IN ({narrow}) THEN 0 ELSE 1 END) AS wide
            FROM dl GROUP BY child_id
        )
        SELECT s.gkey, COUNT(*),
               SUM(COALESCE(c.domains, 0)),
               SUM(CASE WHEN COALESCE(c.wide, 0) = 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.child_id IS NOT NULL THEN 1 ELSE 0 END)
        FROM served s LEFT JOIN per_child c ON c.child_id = s.child_id
        GROUP BY s.gkey"""
    params = [*p, *tp, *dp, *NARROW_SERVICE_CODES]
    for gkey, served, domain_sum, narrow_only, with_service in _rows(sql, params):
        _put(out, gkey, Indicator.make("narrow_mix_share", narrow_only, served))
        _put(out, gkey, Indicator.make("domains_per_child", domain_sum, with_service or 0))
    # Shannon diversity H = -sum(p_i ln p_i) over the service domains of the deliveries;
    # SQL counts per domain, Python only combines those few counts per area.
    sql = f"WITH {elig}, {deliveries} SELECT gkey, domain, COUNT(*) FROM dl GROUP BY gkey, domain"
    counts: dict[str, list[int]] = defaultdict(list)
    for gkey, _domain, n in _rows(sql, [*p, *dp]):
        counts[gkey].append(n)
    for gkey, ns in counts.items():
        total = sum(ns)
        h = -sum(n / total * math.log(n / total) for n in ns) if total else None
        _put(out, gkey, Indicator.make("shannon_diversity", total, len(ns), h))
    # The welfare mix: who delivered (an organisation's sector; a volunteer without an
    # organisation counts as voluntary; a record with neither as state: the director).
    cases = " ".join(
        f"SUM(CASE WHEN COALESCE(sector, CASE WHEN volunteer_id IS NOT NULL "
        f"THEN 'voluntary' ELSE 'state' END) = '{s}' THEN 1 ELSE 0 END),"
        for s in SECTORS
    )
    sql = f"WITH {elig}, {deliveries} SELECT gkey, {cases} COUNT(*) FROM dl GROUP BY gkey"
    for gkey, *by_sector, total in _rows(sql, [*p, *dp]):
        for sector, n in zip(SECTORS, by_sector, strict=True):
            _put(out, gkey, Indicator.make(f"sector_share_{sector}", n, total))


def _continuity(q: _Q, out: Groups, dia: _Dialect) -> None:
    elig, p = _eligible_cte(q)
    first_month = add_months(q.end, -(CONTINUITY_M - 1))
    touch, tp = _touch_cte(q, first_month - dt.timedelta(days=1))
    sql = f"""
        WITH {elig}, {touch},
        months AS (
            SELECT child_id, COUNT(DISTINCT {dia.month("day")}) AS n FROM touch GROUP BY child_id
        )
        SELECT e.gkey, COUNT(*), SUM(CASE WHEN m.n >= %s THEN 1 ELSE 0 END)
        FROM elig e LEFT JOIN months m ON m.child_id = e.child_id
        GROUP BY e.gkey"""
    for gkey, total, regular in _rows(sql, [*p, *tp, CONTINUITY_K]):
        _put(out, gkey, Indicator.make("served_k_of_m", regular or 0, total))
    # Median days between consecutive services or visits of the same child (12 months):
    # LAG gives each contact's predecessor; ROW_NUMBER and COUNT pick the middle gap(s).
    touch, tp = _touch_cte(q, q.days_before(WINDOW_DAYS))
    sql = f"""
        WITH {elig}, {touch},
        gaps AS (
            SELECT gkey, {dia.day("day")}
                   - LAG({dia.day("day")}) OVER (PARTITION BY child_id ORDER BY day) AS gap
            FROM touch
        ),
        ranked AS (
            SELECT gkey, gap,
                   ROW_NUMBER() OVER (PARTITION BY gkey ORDER BY gap) AS rn,
                   COUNT(*) OVER (PARTITION BY gkey) AS n
            FROM gaps WHERE gap IS NOT NULL
        )
        SELECT gkey, MAX(n), AVG(gap * 1.0) FROM ranked
        WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
        GROUP BY gkey"""
    for gkey, n, median in _rows(sql, [*p, *tp]):
        _put(out, gkey, Indicator.make("median_days_between_contacts", n, n, float(median)))
    # Follow-up on time: a case open at the end of the period was followed up (a visit)
    # within its follow-up interval before the end.
    risk_cols = " ".join(
        f"SUM(CASE WHEN k.risk_level = '{r}' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN k.risk_level = '{r}' AND f.case_id IS NOT NULL THEN 1 ELSE 0 END),"
        for r in RISK_LEVELS
    )
    sql = f"""
        WITH {elig},
        open_cases AS (
            SELECT e.gkey, k.id, k.risk_level, k.follow_up_days
            FROM elig e JOIN {_table("cases.Case")} k ON k.child_id = e.child_id
            WHERE k.opened_on <= %s AND (k.closed_on IS NULL OR k.closed_on > %s)
        ),
        fresh AS (
            SELECT DISTINCT k.id AS case_id
            FROM open_cases k JOIN {_table("cases.Visit")} x ON x.case_id = k.id
            WHERE x.visited_on <= %s
              AND {dia.day("%s")} - {dia.day("x.visited_on")} < k.follow_up_days
        )
        SELECT k.gkey, {risk_cols} COUNT(*),
               SUM(CASE WHEN f.case_id IS NOT NULL THEN 1 ELSE 0 END)
        FROM open_cases k LEFT JOIN fresh f ON f.case_id = k.id
        GROUP BY k.gkey"""
    for gkey, *cols in _rows(sql, [*p, q.end, q.end, q.end, q.end]):
        *by_risk, total, on_time = cols
        _put(out, gkey, Indicator.make("followup_on_time", on_time, total))
        for i, risk in enumerate(RISK_LEVELS):
            n, ok = by_risk[2 * i], by_risk[2 * i + 1]
            _put(out, gkey, Indicator.make(f"followup_on_time_{risk}", ok, n))
    # Plans and their actions (the plans current at the end of the period).
    sql = f"""
        WITH {elig},
        plans AS (
            SELECT e.gkey, pl.id, pl.review_due_on
            FROM elig e
            JOIN {_table("cases.Case")} k ON k.child_id = e.child_id
            JOIN {_table("cases.CarePlan")} pl ON pl.case_id = k.id
            WHERE pl.status <> 'closed'
        ),
        acts AS (
            SELECT pl.gkey, COUNT(*) AS n,
                   SUM(CASE WHEN a.owner_organisation_id IS NOT NULL THEN 1 ELSE 0 END) AS org
            FROM plans pl JOIN {_table("cases.PlanAction")} a ON a.plan_id = pl.id
            WHERE a.status <> 'cancelled'
            GROUP BY pl.gkey
        )
        SELECT pl.gkey, COUNT(*), SUM(CASE WHEN pl.review_due_on >= %s THEN 1 ELSE 0 END),
               MAX(a.n), MAX(a.org)
        FROM plans pl LEFT JOIN acts a ON a.gkey = pl.gkey
        GROUP BY pl.gkey"""
    for gkey, plans, on_schedule, actions, with_org in _rows(sql, [*p, q.end]):
        _put(out, gkey, Indicator.make("plans_reviewed_on_schedule", on_schedule, plans))
        _put(out, gkey, Indicator.make("actions_with_owner_org", with_org or 0, actions or 0))


def _participation(q: _Q, out: Groups) -> None:
    since = q.days_before(WINDOW_DAYS)
    sql = f"""
        SELECT SUBSTR(v.path, 1, %s), COUNT(DISTINCT a.id), COUNT(t.id)
        FROM {_table("services.Activity")} a
        JOIN {_table("geo.Area")} v ON v.id = a.area_id
        LEFT JOIN {_table("services.Attendance")} t ON t.activity_id = a.id
        WHERE v.path LIKE %s AND a.held_on > %s AND a.held_on <= %s
        GROUP BY SUBSTR(v.path, 1, %s)"""
    for gkey, activities, attended in _rows(sql, [q.keylen, q.like(), since, q.end, q.keylen]):
        _put(out, gkey, Indicator.make("attendance_per_activity", attended, activities))


def _midnight_after(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _safety(q: _Q, out: Groups, dia: _Dialect) -> None:
    w = windows()
    # Local days: from the first day of the window to the end of ``end`` (exclusive bounds
    # are the next local midnights).
    start = dia.dt_param(_midnight_after(q.days_before(WINDOW_DAYS)))
    stop = dia.dt_param(_midnight_after(q.end))
    hours = dia.hours("r.acknowledged_at", "r.filed_at")
    sql = f"""
        WITH reps AS (
            SELECT SUBSTR(v.path, 1, %s) AS gkey, r.immediate_danger,
                   CASE WHEN r.acknowledged_at IS NOT NULL AND r.acknowledged_at < %s
                        THEN {hours} END AS h
            FROM {_table("safeguarding.Report")} r
            JOIN {_table("geo.Area")} v ON v.id = r.area_id
            WHERE v.path LIKE %s AND r.filed_at >= %s AND r.filed_at < %s
        ),
        ranked AS (
            SELECT gkey, h, ROW_NUMBER() OVER (PARTITION BY gkey ORDER BY h) AS rn,
                   COUNT(*) OVER (PARTITION BY gkey) AS n
            FROM reps WHERE h IS NOT NULL
        ),
        med AS (
            SELECT gkey, AVG(h) AS median FROM ranked
            WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY gkey
        )
        SELECT r.gkey, COUNT(*),
               SUM(CASE WHEN r.h IS NOT NULL AND r.h <= (CASE WHEN r.immediate_danger
                        THEN %s ELSE %s END) THEN 1 ELSE 0 END),
               SUM(CASE WHEN r.h IS NOT NULL THEN 1 ELSE 0 END),
               MAX(m.median)
        FROM reps r LEFT JOIN med m ON m.gkey = r.gkey
        GROUP BY r.gkey"""
    params = [q.keylen, stop, q.like(), start, stop, w.danger_hours, w.other_hours]
    for gkey, total, in_time, acked, median in _rows(sql, params):
        _put(out, gkey, Indicator.make("safety_reports", total, 1, float(total)))
        _put(out, gkey, Indicator.make("safety_within_deadline", in_time, total))
        value = None if median is None else float(median)
        _put(out, gkey, Indicator.make("safety_ack_median_hours", acked, acked, value))


def _resources(q: _Q, out: Groups) -> None:
    start = month_start(q.end)
    sql = f"""
        WITH offered AS (
            SELECT SUBSTR(v.path, 1, %s) AS gkey, SUM(o.hours_per_month) AS hours
            FROM {_table("resources.Volunteer")} o
            JOIN {_table("geo.Area")} v ON v.id = o.area_id
            WHERE v.path LIKE %s AND o.active
            GROUP BY SUBSTR(v.path, 1, %s)
        ),
        used AS (
            SELECT SUBSTR(v.path, 1, %s) AS gkey, SUM(d.duration_minutes) AS minutes
            FROM {_table("services.ServiceDelivery")} d
            JOIN {_table("resources.Volunteer")} o ON o.id = d.volunteer_id
            JOIN {_table("geo.Area")} v ON v.id = o.area_id
            WHERE v.path LIKE %s AND d.delivered_on >= %s AND d.delivered_on <= %s
            GROUP BY SUBSTR(v.path, 1, %s)
        )
        SELECT f.gkey, f.hours, COALESCE(u.minutes, 0)
        FROM offered f LEFT JOIN used u ON u.gkey = f.gkey"""
    params = [q.keylen, q.like(), q.keylen, q.keylen, q.like(), start, q.end, q.keylen]
    for gkey, hours, minutes in _rows(sql, params):
        _put(out, gkey, Indicator.make("volunteer_hours_used", minutes / 60, hours or 0))
    sql = f"""
        SELECT SUBSTR(v.path, 1, %s),
               SUM(CASE WHEN e.kind = 'allocated' THEN e.amount ELSE 0 END),
               SUM(CASE WHEN e.kind = 'spent' THEN e.amount ELSE 0 END)
        FROM {_table("resources.FundEntry")} e
        JOIN {_table("resources.Fund")} f ON f.id = e.fund_id
        JOIN {_table("geo.Area")} v ON v.id = f.area_id
        WHERE v.path LIKE %s AND e."on" <= %s
        GROUP BY SUBSTR(v.path, 1, %s)"""
    for gkey, allocated, spent in _rows(sql, [q.keylen, q.like(), q.end, q.keylen]):
        _put(out, gkey, Indicator.make("funds_spent", float(spent or 0), float(allocated or 0)))


def _compute(q: _Q) -> Groups:
    dia = _Dialect()
    out: Groups = {}
    _population(q, out, dia)
    _mix(q, out)
    _continuity(q, out, dia)
    _participation(q, out)
    _safety(q, out, dia)
    _resources(q, out)
    return out


def _complete(found: dict[str, Indicator] | None) -> dict[str, Indicator]:
    """Every code present: an indicator with nothing to count has value ``None``."""
    found = found or {}
    return {code: found.get(code) or Indicator.make(code, 0, 0) for code in LABELS}


def indicators_for(*, area: Area, month: dt.date) -> dict[str, Indicator]:
    """All indicators for ``area``'s subtree, for the period ending with ``month``."""
    q = _Q(prefix=area.path, keylen=len(area.path), end=month_end(month))
    return _complete(_compute(q).get(area.path))


def child_areas(area: Area, level: str = "village") -> list[Area]:
    return list(Area.objects.filter(path__startswith=area.path, level__slug=level).order_by("path"))


def indicators_by_child_area(
    *, area: Area, month: dt.date, level: str = "village"
) -> dict[str, dict[str, Indicator]]:
    """The indicators of each area at ``level`` below ``area``, keyed by division code."""
    areas = child_areas(area, level)
    if not areas:
        return {}
    by_len: dict[int, list[Area]] = defaultdict(list)
    for a in areas:
        by_len[len(a.path)].append(a)
    result: dict[str, dict[str, Indicator]] = {}
    for keylen, group in by_len.items():
        found = _compute(_Q(prefix=area.path, keylen=keylen, end=month_end(month)))
        for a in group:
            result[a.code] = _complete(found.get(a.path))
    return result


def monthly_series(
    *, area: Area, code: str, months: int = 12, month: dt.date | None = None
) -> list[tuple[dt.date, Indicator]]:
    """``code`` for the ``months`` calendar months ending with ``month`` (default: this
    month), oldest first: from the stored monthly table where it has the month, computed
    otherwise (``shouwang insights refresh`` fills the table)."""
    last = month_start(month or timezone.localdate())
    wanted = [add_months(last, -i) for i in range(months - 1, -1, -1)]
    stored = {
        s.month: s for s in MonthlyAreaStat.objects.filter(area=area, code=code, month__in=wanted)
    }
    series = []
    for m in wanted:
        row = stored.get(m)
        if row is not None:
            series.append((m, row.indicator()))
        else:
            series.append((m, indicators_for(area=area, month=m)[code]))
    return series


def values(indicators: Iterable[Indicator]) -> dict[str, float | None]:
    return {i.code: i.value for i in indicators}
