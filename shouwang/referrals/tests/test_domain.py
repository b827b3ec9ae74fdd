"""The referral state machine and the small pure rules, without a database."""

import datetime as dt

import pytest

from shouwang.referrals import domain
from shouwang.referrals.domain import IllegalStepError, Step


@pytest.mark.parametrize(
    ("status", "step", "after"),
    [
        ("pending", Step.ACCEPT, "accepted"),
        ("pending", Step.DECLINE, "declined"),
        ("pending", Step.WITHDRAW, "withdrawn"),
        ("accepted", Step.COMPLETE, "completed"),
        ("accepted", Step.WITHDRAW, "withdrawn"),
    ],
)
def test_the_allowed_steps(status: str, step: Step, after: str) -> None:
    assert domain.next_status(status, step) == after


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("pending", Step.COMPLETE),
        ("accepted", Step.ACCEPT),
        ("accepted", Step.DECLINE),
        *[(closed, step) for closed in ("declined", "completed", "withdrawn") for step in Step],
    ],
)
def test_every_other_step_is_refused(status: str, step: Step) -> None:
    with pytest.raises(IllegalStepError):
        domain.next_status(status, step)


def test_closed_referrals_have_no_steps() -> None:
    assert domain.steps_from("completed") == []
    assert set(domain.steps_from("pending")) == {Step.ACCEPT, Step.DECLINE, Step.WITHDRAW}


def test_only_a_pending_referral_past_its_deadline_is_overdue() -> None:
    due = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    later = due + dt.timedelta(minutes=1)
    assert domain.is_overdue("pending", due, later)
    assert not domain.is_overdue("pending", due, due - dt.timedelta(minutes=1))
    assert not domain.is_overdue("accepted", due, later)


def test_age_counts_whole_years() -> None:
    born = dt.date(2014, 9, 1)
    assert domain.age_on(born, dt.date(2026, 8, 31)) == 11
    assert domain.age_on(born, dt.date(2026, 9, 1)) == 12
