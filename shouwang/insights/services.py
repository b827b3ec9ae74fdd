"""Writes of the insights app: refreshing the monthly indicator table.

The refresh is system work (the command, the nightly worker job, the demo): it reads
every area below ``root`` and replaces that month's rows in one transaction, with one
``insights.refreshed`` audit event.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from shouwang.audit.services import SystemActor, audit_record
from shouwang.geo.models import Area, AreaLevel
from shouwang.insights.audit_actions import InsightsAction
from shouwang.insights.indicators import indicators_by_child_area, indicators_for, month_start
from shouwang.insights.models import MonthlyAreaStat


@transaction.atomic
def stats_refresh(*, root: Area, month: dt.date, actor: SystemActor | None = None) -> int:
    """Recompute ``month`` for ``root`` and every area below it; returns rows written."""
    first = month_start(month)
    now = timezone.now()
    rows: list[MonthlyAreaStat] = []

    def add(area_id: int, indicators: dict) -> None:
        rows.extend(
            MonthlyAreaStat(
                area_id=area_id,
                month=first,
                code=i.code,
                value=i.value,
                numerator=i.numerator,
                denominator=i.denominator,
                computed_at=now,
            )
            for i in indicators.values()
        )

    add(root.pk, indicators_for(area=root, month=first))
    ids = dict(Area.objects.filter(path__startswith=root.path).values_list("code", "pk"))
    for level in AreaLevel.objects.filter(depth__gt=root.level.depth).order_by("depth"):
        for code, indicators in indicators_by_child_area(
            area=root, month=first, level=level.slug
        ).items():
            add(ids[code], indicators)
    MonthlyAreaStat.objects.filter(area_id__in=ids.values(), month=first).delete()
    MonthlyAreaStat.objects.bulk_create(rows, batch_size=2000)
    audit_record(
        actor=actor or SystemActor("insights"),
        action=InsightsAction.STATS_REFRESHED,
        area=root,
        extra={"month": first.isoformat(), "rows": len(rows)},
    )
    return len(rows)


def roots() -> list[Area]:
    """The top areas (no parent): a refresh of each covers the whole tree."""
    return list(Area.objects.filter(parent__isnull=True).select_related("level"))


def stats_refresh_due(now: dt.datetime) -> int:
    """The worker's nightly pass (registered as job ``insights``): once a local day, refresh
    this month for every root (and last month too in a month's first three days, when late
    records for it still arrive). Returns rows written (0 when already done today)."""
    today = timezone.localdate(now)
    month = month_start(today)
    written = 0
    for root in roots():
        done = MonthlyAreaStat.objects.filter(
            area=root, month=month, computed_at__date__gte=today
        ).exists()
        if done:
            continue
        if today.day <= 3:
            written += stats_refresh(root=root, month=month - dt.timedelta(days=1))
        written += stats_refresh(root=root, month=month)
    return written
