"""The indicators on the fixture of ``fixture.py``, each number worked out by hand.

The same tests run on SQLite (``pytest``) and on PostgreSQL (``scripts/with-postgres
pytest``): identical expected numbers prove identical results on both.
"""

import datetime as dt
import math

import pytest
import time_machine

from shouwang.audit.models import AuditEvent
from shouwang.insights.indicators import (
    indicators_by_child_area,
    indicators_for,
    monthly_series,
)
from shouwang.insights.models import MonthlyAreaStat
from shouwang.insights.services import stats_refresh, stats_refresh_due
from shouwang.insights.tests.fixture import MONTH, build

pytestmark = pytest.mark.django_db


def shannon(*counts: int) -> float:
    total = sum(counts)
    return round(-sum(n / total * math.log(n / total) for n in counts), 4)


def nums(indicators, *codes):
    return {c: (indicators[c].numerator, indicators[c].denominator) for c in codes}


def test_county_numbers_by_hand(world):
    build(world)
    got = indicators_for(area=world.county, month=MONTH)

    assert got["children_eligible"].value == 4  # hongmei, chen, xiaoming, qiang (not lin)
    assert nums(got, "coverage_90d", "participation_12m", "named_responsible") == {
        "coverage_90d": (3, 4),  # chen's only service was in January
        "participation_12m": (1, 4),  # hongmei; lin is not eligible, xiaoming's was 2025
        "named_responsible": (1, 4),  # xiaoming's case has nobody; qiang's closed 30 Sep
    }
    assert got["coverage_90d"].value == 0.75
    assert got["coverage_90d"].problem  # below 80%
    assert (got["attendance_per_activity"].value, got["attendance_per_activity"].unit) == (
        2.0,
        "count",
    )
    # Service mix over 12 months: all four were served; hongmei (material aid, home
    # visit), chen (material aid) and qiang (home visit) got nothing else.
    assert nums(got, "narrow_mix_share", "domains_per_child") == {
        "narrow_mix_share": (3, 4),
        "domains_per_child": (6, 4),  # 2 + 2 + 1 + 1 domains
    }
    assert got["narrow_mix_share"].problem
    assert got["domains_per_child"].value == 1.5
    assert got["domains_per_child"].problem
    # Domains of the 6 deliveries: material 2, guardianship 2, education 1, psychological 1.
    assert got["shannon_diversity"].value == shannon(2, 2, 1, 1) == 1.3297
    assert not got["shannon_diversity"].problem
    # Welfare mix: the NGO twice and a volunteer without organisation (voluntary), two
    # records by nobody but the director and the school's one (state).
    assert nums(got, *(f"sector_share_{s}" for s in ("state", "voluntary", "market"))) == {
        "sector_share_state": (3, 6),
        "sector_share_voluntary": (3, 6),
        "sector_share_market": (0, 6),
    }
    # Continuity: only hongmei was served in 3 of May-October (Aug, Sep, Oct).
    assert nums(got, "served_k_of_m")["served_k_of_m"] == (1, 4)
    # Open cases at 31 Oct: hongmei (high, every 30 days, visited 15 Oct) on time;
    # xiaoming (medium, every 60 days, never visited) late; qiang's case was closed.
    assert nums(got, "followup_on_time", "followup_on_time_high", "followup_on_time_medium") == {
        "followup_on_time": (1, 2),
        "followup_on_time_high": (1, 1),
        "followup_on_time_medium": (0, 1),
    }
    assert got["followup_on_time_urgent"].value is None
    # Gaps: hongmei 20 Aug, 5 Sep, 10 Oct, 15 Oct -> 16, 35, 5; xiaoming 15 Jun, 20 Oct
    # -> 127. Median of 5, 16, 35, 127 = 25.5.
    assert got["median_days_between_contacts"].value == 25.5
    assert got["median_days_between_contacts"].unit == "days"
    assert nums(got, "plans_reviewed_on_schedule", "actions_with_owner_org") == {
        "plans_reviewed_on_schedule": (1, 2),  # xiaoming's review was due 30 Sep
        "actions_with_owner_org": (1, 3),
    }
    # Weekly contact: of the three left-behind children, hongmei in weeks 0-3, xiaoming
    # in weeks 0, 2, 3 only, chen never.
    assert nums(got, "weekly_contact_4w", "caregiver_capable") == {
        "weekly_contact_4w": (1, 3),
        "caregiver_capable": (3, 4),  # xiaoming's grandmother cannot provide care
    }
    # Safety: 3 reports in the period (the 1 Nov one is after it); acknowledged in 10 h
    # (24 h window: in time) and 3 h (immediate danger, 2 h window: late); one not yet.
    assert got["safety_reports"].value == 3
    assert nums(got, "safety_within_deadline")["safety_within_deadline"] == (1, 3)
    assert got["safety_ack_median_hours"].value == 6.5
    # Resources: 2 of the 12 hours offered by active volunteers were used in October;
    # 1,500 of 6,000 yuan allocated spent by 31 Oct (the November spending is later).
    assert nums(got, "volunteer_hours_used", "funds_spent") == {
        "volunteer_hours_used": (2, 12),
        "funds_spent": (1500, 6000),
    }
    assert got["volunteer_hours_used"].value == 0.1667
    assert got["funds_spent"].value == 0.25


def test_town_and_village_numbers_by_hand(world):
    build(world)
    town = indicators_for(area=world.town_a, month=MONTH)
    assert town["children_eligible"].value == 3
    assert nums(town, "coverage_90d", "narrow_mix_share", "domains_per_child") == {
        "coverage_90d": (2, 3),
        "narrow_mix_share": (2, 3),
        "domains_per_child": (5, 3),
    }
    assert town["shannon_diversity"].value == shannon(2, 1, 1, 1)
    assert nums(town, "sector_share_state", "safety_within_deadline") == {
        "sector_share_state": (2, 5),
        "safety_within_deadline": (1, 2),
    }
    assert town["safety_ack_median_hours"].value == 10.0
    assert town["median_days_between_contacts"].value == 25.5
    assert town["funds_spent"].value == 0.25  # the fund belongs to the town

    q_town = indicators_for(area=world.town_b, month=MONTH)
    assert q_town["coverage_90d"].value == 1.0
    assert q_town["followup_on_time"].value is None  # no open case
    assert q_town["weekly_contact_4w"].value is None  # nobody left-behind now
    assert q_town["median_days_between_contacts"].value is None  # one contact only
    assert q_town["safety_ack_median_hours"].value == 3.0

    villages = indicators_by_child_area(area=world.town_a, month=MONTH)
    assert sorted(villages) == [world.village_a1.code, world.village_a2.code]
    a1, a2 = villages[world.village_a1.code], villages[world.village_a2.code]
    assert nums(a1, "children_eligible", "coverage_90d", "participation_12m") == {
        "children_eligible": (2, 1),
        "coverage_90d": (1, 2),
        "participation_12m": (1, 2),
    }
    assert a1["shannon_diversity"].value == shannon(2, 1)
    assert a1["volunteer_hours_used"].value == 0.25  # 2 of 8: the town's volunteer is not A1's
    assert a1["funds_spent"].value is None
    assert a2["median_days_between_contacts"].value == 127.0
    assert a2["coverage_90d"].value == 1.0
    assert a2["safety_ack_median_hours"].value is None
    # The villages add up to the town for the additive indicators.
    assert a1["children_eligible"].value + a2["children_eligible"].value == 3
    for code in ("coverage_90d", "named_responsible", "followup_on_time", "weekly_contact_4w"):
        assert a1[code].numerator + a2[code].numerator == town[code].numerator
        assert a1[code].denominator + a2[code].denominator == town[code].denominator


def test_indicators_of_an_empty_area_are_none_not_errors(world):
    got = indicators_for(area=world.town_b, month=MONTH)
    assert got["coverage_90d"].value is None
    assert not got["coverage_90d"].problem
    assert got["children_eligible"].denominator == 0


def test_refresh_stores_every_level_and_the_series_reads_it(world):
    build(world)
    rows = stats_refresh(root=world.province, month=MONTH)
    # province, prefecture, county, 2 townships, 3 villages: 8 areas x every indicator.
    per_area = MonthlyAreaStat.objects.filter(area=world.county, month=MONTH).count()
    assert rows == 8 * per_area
    stored = MonthlyAreaStat.objects.get(area=world.town_a, month=MONTH, code="coverage_90d")
    assert (stored.numerator, stored.denominator, stored.value) == (2, 3, 0.6667)
    assert AuditEvent.objects.filter(action="insights.refreshed").count() == 1

    # The series prefers the stored row: change it and the series shows the change.
    MonthlyAreaStat.objects.filter(pk=stored.pk).update(numerator=3, value=1.0)
    series = monthly_series(area=world.town_a, code="coverage_90d", months=3, month=MONTH)
    assert [m.isoformat() for m, _ in series] == ["2026-08-01", "2026-09-01", "2026-10-01"]
    assert series[-1][1].value == 1.0
    # September is not stored: computed live; in the 90 days to 30 Sep only hongmei.
    assert (series[1][1].numerator, series[1][1].denominator) == (1, 3)

    # A second refresh replaces the month's rows, it does not add to them.
    assert stats_refresh(root=world.province, month=MONTH) == rows
    assert MonthlyAreaStat.objects.filter(month=MONTH).count() == rows


def test_the_worker_refreshes_once_a_day(world):
    build(world)
    now = dt.datetime(2026, 10, 20, 2, tzinfo=dt.UTC)

    def at(moment: dt.datetime) -> int:
        with time_machine.travel(moment, tick=False):
            return stats_refresh_due(moment)

    first = at(now)
    assert first > 0
    assert MonthlyAreaStat.objects.filter(area=world.county, month=MONTH).exists()
    assert at(now + dt.timedelta(hours=3)) == 0  # already done today
    assert at(now + dt.timedelta(days=1)) == first  # the next night again
    # In a month's first days last month is refreshed as well.
    assert at(dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)) == 2 * first
