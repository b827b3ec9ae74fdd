import datetime as dt

import pytest

from shouwang.cases import domain


def test_follow_up_days_default_to_our_design_choice() -> None:
    assert domain.parse_follow_up_days("") == {"urgent": 7, "high": 14, "medium": 30, "low": 90}


def test_follow_up_days_can_be_configured() -> None:
    assert domain.parse_follow_up_days("urgent=3, low=60")["urgent"] == 3
    assert domain.parse_follow_up_days({"medium": 21})["medium"] == 21


@pytest.mark.parametrize("raw", ["urgent=0", "extreme=5", "high=x"])
def test_bad_follow_up_settings_fail_loudly(raw: str) -> None:
    with pytest.raises(ValueError):
        domain.parse_follow_up_days(raw)


def test_next_due_counts_from_the_last_follow_up_or_the_opening() -> None:
    opened = dt.date(2026, 11, 1)
    assert domain.next_due(last=None, opened=opened, every_days=30) == dt.date(2026, 12, 1)
    assert domain.next_due(last=dt.date(2026, 11, 20), opened=opened, every_days=7) == dt.date(
        2026, 11, 27
    )


def test_only_high_and_urgent_plans_need_approval() -> None:
    assert domain.needs_approval("urgent")
    assert domain.needs_approval("high")
    assert not domain.needs_approval("medium")


def test_report_triggers_are_the_13_hao_ones() -> None:
    assert domain.report_triggers(["low_mood", "living_alone", "suspected_harm"]) == [
        "living_alone",
        "suspected_injury_or_unlawful_harm",
    ]
    assert domain.report_triggers(["school_absence"]) == []
