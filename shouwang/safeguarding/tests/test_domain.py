"""Pure rules: triggers, transitions, deadlines, the escalation ladder, court suggestions."""

import datetime as dt

import pytest

from shouwang.access.capabilities import Cap
from shouwang.safeguarding import domain
from shouwang.safeguarding.domain import Action, IllegalTransition, State, Trigger

T = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def test_the_triggers_are_the_nine_situations_the_five_13_triggers_and_domestic_violence() -> None:
    assert len(domain.OPINION_2020_LABELS) == 9
    assert len(domain.LEFT_BEHIND_LABELS) == 5
    assert set(domain.DOMESTIC_VIOLENCE_LABELS) == {Trigger.DOMESTIC_VIOLENCE}
    assert set(domain.TRIGGER_LABELS) == {t.value for t in Trigger}
    groups = domain.grouped_trigger_choices()
    assert sum(len(c) for _t, c in groups) == 15


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (None, Action.FILE, State.FILED),
        (State.FILED, Action.ESCALATE, State.FILED),
        (State.FILED, Action.ACKNOWLEDGE, State.ACKNOWLEDGED),
        (State.ACKNOWLEDGED, Action.RESPOND, State.RESPONDED),
        (State.RESPONDED, Action.RESPOND, State.RESPONDED),
        (State.ACKNOWLEDGED, Action.CLOSE, State.CLOSED),
        (State.RESPONDED, Action.CLOSE, State.CLOSED),
    ],
)
def test_it_allows_the_transitions(state: str | None, action: Action, expected: State) -> None:
    assert domain.next_state(state, action) == expected


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (State.FILED, Action.CLOSE),  # acknowledge first: someone with authority takes it on
        (State.FILED, Action.RESPOND),
        (State.ACKNOWLEDGED, Action.ACKNOWLEDGE),
        (State.ACKNOWLEDGED, Action.ESCALATE),
        (State.CLOSED, Action.ACKNOWLEDGE),
        (State.CLOSED, Action.RESPOND),
        (State.CLOSED, Action.CLOSE),
        (State.CLOSED, Action.ESCALATE),
        (None, Action.ACKNOWLEDGE),
    ],
)
def test_it_refuses_the_other_transitions(state: str | None, action: Action) -> None:
    with pytest.raises(IllegalTransition):
        domain.next_state(state, action)


def test_the_actions_a_person_can_take_need_their_capability() -> None:
    assert domain.actions_from(State.FILED) == [(Action.ACKNOWLEDGE, Cap.ACKNOWLEDGE_REPORT)]
    assert set(domain.actions_from(State.ACKNOWLEDGED)) == {
        (Action.RESPOND, Cap.RESPOND_REPORT),
        (Action.CLOSE, Cap.CLOSE_REPORT),
    }
    assert domain.actions_from(State.CLOSED) == []


def test_the_default_windows_are_2_hours_in_danger_and_24_otherwise() -> None:
    w = domain.Windows()
    assert w.deadline(T, immediate_danger=True) == T + dt.timedelta(hours=2)
    assert w.deadline(T, immediate_danger=False) == T + dt.timedelta(hours=24)
    assert domain.Windows(danger_hours=1).deadline(T, immediate_danger=True) == T + dt.timedelta(
        hours=1
    )


def test_a_deadline_is_due_at_the_deadline_not_before() -> None:
    deadline = T + dt.timedelta(hours=2)
    assert not domain.is_due(deadline, deadline - dt.timedelta(seconds=1))
    assert domain.is_due(deadline, deadline)
    assert domain.is_due(deadline, deadline + dt.timedelta(seconds=1))
    assert not domain.is_due(None, deadline)


def test_the_ladder_goes_up_one_rung_a_level_then_tells_every_rung_again() -> None:
    assert domain.rung_for_level(0, 3) == []
    assert domain.rung_for_level(1, 3) == [0]
    assert domain.rung_for_level(2, 3) == [1]
    assert domain.rung_for_level(3, 3) == [2]
    assert domain.rung_for_level(4, 3) == [0, 1, 2]
    assert domain.rung_for_level(9, 3) == [0, 1, 2]
    assert domain.rung_for_level(1, 0) == []


def test_months_between_counts_whole_months() -> None:
    assert domain.months_between(dt.date(2024, 1, 31), dt.date(2024, 7, 30)) == 5
    assert domain.months_between(dt.date(2024, 1, 31), dt.date(2024, 7, 31)) == 6
    assert domain.months_between(dt.date(2024, 8, 1), dt.date(2024, 7, 1)) == 0


def test_refusing_duties_suggests_a_court_application_only_after_six_months() -> None:
    flag = [domain.InterventionFlag.REFUSED_DUTIES]
    since = dt.date(2024, 1, 15)
    assert domain.court_suggestion(flag, since, dt.date(2024, 7, 14)) is None
    s = domain.court_suggestion(flag, since, dt.date(2024, 7, 15))
    assert s is not None
    assert s.reasons == ("refused_duties",)
    assert s.refusal_days == (dt.date(2024, 7, 15) - since).days
    assert domain.court_suggestion(flag, None, dt.date(2024, 7, 15)) is None


def test_serious_harm_suggests_at_once_and_no_flag_suggests_nothing() -> None:
    today = dt.date(2025, 1, 1)
    s = domain.court_suggestion([domain.InterventionFlag.SERIOUS_HARM_BY_GUARDIAN], None, today)
    assert s is not None and s.reasons == ("serious_harm_by_guardian",)
    assert domain.court_suggestion([], None, today) is None
