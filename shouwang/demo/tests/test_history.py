"""The demo's two years of care work reproduce the field study's diagnosis (issue 7 part 5):
a supervisor opening the dashboard sees low coverage, a narrow service mix, scattered
responsibility and weak continuity, with the numbers docs/demo.md quotes."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from shouwang.demo import town
from shouwang.geo.models import Area
from shouwang.insights.indicators import indicators_for
from shouwang.insights.models import MonthlyAreaStat
from shouwang.referrals.models import Referral
from shouwang.resources.models import Volunteer

TODAY = "2026-11-29"


@pytest.fixture
def demo(db: None) -> str:
    out = StringIO()
    call_command("demo", "--children=400", "--seed=2016", f"--today={TODAY}", stdout=out)
    return out.getvalue()


def test_the_demo_shows_the_field_studys_diagnosis(demo: str) -> None:
    s_town = Area.objects.get(code=town.S_TOWN_CODE)
    got = indicators_for(area=s_town, month=dt.date(2026, 11, 1))
    for code in (
        "coverage_90d",  # limited coverage
        "participation_12m",
        "narrow_mix_share",  # single service content
        "shannon_diversity",
        "named_responsible",  # scattered responsibility
        "sector_share_state",
        "served_k_of_m",  # no long-term mechanism
        "followup_on_time",
        "median_days_between_contacts",
        "weekly_contact_4w",  # family
    ):
        assert got[code].problem, code
    assert 0.2 < got["coverage_90d"].value < 0.5
    assert got["narrow_mix_share"].value > 0.75
    # ... and not everything is bad: caregivers are mostly able to care.
    assert not got["caregiver_capable"].problem


def test_the_demo_stores_twelve_months_of_indicators(demo: str) -> None:
    county = Area.objects.get(code=town.COUNTY_CODE)
    months = MonthlyAreaStat.objects.filter(area=county, code="coverage_90d")
    assert months.count() == 12
    assert "indicators: 12" in demo


def test_the_demo_has_referrals_volunteers_and_unvetted_ones(demo: str) -> None:
    assert Referral.objects.filter(
        status="pending", to_organisation__name_en="X County Sunshine Social Work Centre"
    ).exists()
    assert Volunteer.objects.exclude(vetting="vetted").exists()
    assert Volunteer.objects.filter(vetting="vetted").exists()
