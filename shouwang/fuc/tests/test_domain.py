"""The FUC procedure as a pure state machine: transitions, months, working days. No database."""

import datetime as dt

import pytest

from shouwang.access.capabilities import Cap
from shouwang.fuc import domain
from shouwang.fuc.domain import (
    Action,
    Deadlines,
    IllegalTransition,
    Phase,
    State,
    TerminationReason,
    active_from,
    add_working_days,
    next_state,
    terminated_from,
)

D = dt.date

LEGAL = [
    (None, Action.APPLY, State.SUBMITTED, Cap.APPLY_FUC),
    (State.SUBMITTED, Action.VERIFY, State.VERIFIED, Cap.VERIFY_FUC),
    (State.SUBMITTED, Action.RETURN, State.SUBMITTED, Cap.VERIFY_FUC),
    (State.VERIFIED, Action.CONFIRM, State.CONFIRMED, Cap.DECIDE_FUC),
    (State.VERIFIED, Action.REJECT, State.REJECTED, Cap.DECIDE_FUC),
    (State.CONFIRMED, Action.TERMINATE, State.TERMINATED, Cap.DECIDE_FUC),
]


@pytest.mark.parametrize(("state", "action", "to", "cap"), LEGAL)
def test_every_legal_transition_and_who_may_take_it(
    state: State | None, action: Action, to: State, cap: Cap
) -> None:
    assert next_state(state, action) == to
    assert domain.transition(state, action).capability == cap
    assert domain.ACTION_CAPABILITIES[action] == cap


def test_the_table_has_exactly_the_legal_transitions() -> None:
    assert set(domain.TRANSITIONS) == {(s, a) for s, a, _to, _cap in LEGAL}


ILLEGAL = [
    (s, a)
    for s in [None, *State]
    for a in Action
    if (s, a) not in {(s2, a2) for s2, a2, _t, _c in LEGAL}
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_other_transition_is_illegal(state: State | None, action: Action) -> None:
    with pytest.raises(IllegalTransition) as info:
        next_state(state, action)
    assert (info.value.state, info.value.action) == (state, action)


@pytest.mark.parametrize("state", [State.REJECTED, State.TERMINATED])
def test_closed_states_allow_nothing(state: State) -> None:
    assert domain.actions_from(state) == []
    assert state in domain.CLOSED_STATES
    assert state not in domain.OPEN_STATES


def test_no_public_notice_step_exists() -> None:
    names = {str(s) for s in State} | {str(a) for a in Action} | {str(p) for p in Phase}
    assert not any("notice" in n or "publi" in n for n in names)


def test_values_as_strings_are_accepted() -> None:
    assert next_state("submitted", "verify") == State.VERIFIED
    with pytest.raises(ValueError, match="no_such"):
        next_state("submitted", "no_such")


def test_actions_from_each_state() -> None:
    assert domain.actions_from(None) == [(Action.APPLY, Cap.APPLY_FUC)]
    assert domain.actions_from(State.SUBMITTED) == [
        (Action.VERIFY, Cap.VERIFY_FUC),
        (Action.RETURN, Cap.VERIFY_FUC),
    ]
    assert domain.actions_from(State.VERIFIED) == [
        (Action.CONFIRM, Cap.DECIDE_FUC),
        (Action.REJECT, Cap.DECIDE_FUC),
    ]
    assert domain.actions_from(State.CONFIRMED) == [(Action.TERMINATE, Cap.DECIDE_FUC)]


# --- Months ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("confirmed_on", "starts"),
    [
        (D(2026, 1, 1), D(2026, 2, 1)),
        (D(2026, 1, 31), D(2026, 2, 1)),
        (D(2026, 2, 28), D(2026, 3, 1)),
        (D(2028, 2, 29), D(2028, 3, 1)),
        (D(2026, 11, 30), D(2026, 12, 1)),
        (D(2026, 12, 1), D(2027, 1, 1)),
        (D(2026, 12, 31), D(2027, 1, 1)),
    ],
)
def test_the_allowance_starts_the_month_after_confirmation(
    confirmed_on: dt.date, starts: dt.date
) -> None:
    assert active_from(confirmed_on) == starts


@pytest.mark.parametrize(
    ("changed_on", "ends"),
    [
        (D(2026, 1, 31), D(2026, 2, 1)),
        (D(2026, 3, 1), D(2026, 4, 1)),
        (D(2026, 12, 31), D(2027, 1, 1)),
    ],
)
def test_the_allowance_ends_from_the_month_after_the_change(
    changed_on: dt.date, ends: dt.date
) -> None:
    assert terminated_from(changed_on) == ends
    assert terminated_from(changed_on, active_from=D(2025, 1, 1)) == ends


def test_a_change_before_the_start_ends_it_on_the_day_it_would_have_started() -> None:
    # Confirmed in March (active from 1 April); the child had been adopted in February.
    assert terminated_from(D(2026, 2, 10), active_from=D(2026, 4, 1)) == D(2026, 4, 1)


@pytest.mark.parametrize(
    ("state", "today", "expected"),
    [
        (State.SUBMITTED, D(2026, 3, 1), Phase.AWAITING_TOWNSHIP),
        (State.VERIFIED, D(2026, 3, 1), Phase.AWAITING_COUNTY),
        (State.REJECTED, D(2026, 3, 1), Phase.REJECTED),
        (State.CONFIRMED, D(2026, 3, 31), Phase.CONFIRMED),
        (State.CONFIRMED, D(2026, 4, 1), Phase.ACTIVE),
        (State.TERMINATED, D(2026, 6, 30), Phase.ENDING),
        (State.TERMINATED, D(2026, 7, 1), Phase.ENDED),
    ],
)
def test_the_phase_on_a_day(state: State, today: dt.date, expected: Phase) -> None:
    terminated = D(2026, 7, 1) if state == State.TERMINATED else None
    got = domain.phase(state, active_from=D(2026, 4, 1), terminated_from=terminated, today=today)
    assert got == expected


# --- Working days ---------------------------------------------------------------------

FRI = D(2026, 1, 30)
MON = D(2026, 2, 2)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (MON, 0, MON),
        (MON, 1, D(2026, 2, 3)),
        (MON, 4, D(2026, 2, 6)),  # Friday
        (MON, 5, D(2026, 2, 9)),  # over the weekend to Monday
        (FRI, 1, MON),
        (D(2026, 1, 31), 1, MON),  # from a Saturday
        (D(2026, 2, 1), 1, MON),  # from a Sunday
        (MON, 15, D(2026, 2, 23)),  # three weeks
    ],
)
def test_working_days_skip_weekends(start: dt.date, n: int, expected: dt.date) -> None:
    assert add_working_days(start, n) == expected


def test_working_days_skip_holidays() -> None:
    # A made-up week of holidays, Mon 16 – Fri 20 February 2026.
    holidays = frozenset(D(2026, 2, d) for d in range(16, 21))
    assert add_working_days(D(2026, 2, 13), 1, holidays) == D(2026, 2, 23)
    assert add_working_days(D(2026, 2, 12), 2, holidays) == D(2026, 2, 23)
    assert add_working_days(D(2026, 2, 12), 1, holidays) == D(2026, 2, 13)


def test_a_make_up_working_day_counts() -> None:
    saturday = D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 13), 1, makeup_workdays={saturday}) == saturday


def test_a_negative_number_of_days_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(MON, -1)


def test_deadlines_default_to_15_and_15_and_are_labelled_unconfirmed() -> None:
    deadlines = Deadlines()
    assert (deadlines.township_days, deadlines.county_days) == (15, 15)
    assert deadlines.unconfirmed
    assert domain.DEADLINE_SOURCE_GRADE == "R"
    assert deadlines.township_due(MON) == D(2026, 2, 23)
    assert deadlines.county_due(MON) == D(2026, 2, 23)
    assert not Deadlines(township_days=10, county_days=5).unconfirmed
    assert Deadlines(township_days=10, county_days=5).county_due(MON) == D(2026, 2, 9)


def test_overdue_is_strictly_after_the_due_date() -> None:
    assert not domain.is_overdue(MON, MON)
    assert domain.is_overdue(MON, D(2026, 2, 3))
    assert not domain.is_overdue(None, D(2030, 1, 1))


# --- Input rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (Action.REJECT, "reason"),
        (Action.RETURN, "note"),
        (Action.VERIFY, "note"),
        (Action.CONFIRM, "note"),
    ],
)
def test_decisions_need_a_written_reason(action: Action, field: str) -> None:
    assert set(domain.check_note(action, "  \n ")) == {field}
    assert domain.check_note(action, "Both parents imprisoned; court documents seen.") == {}


def test_applying_needs_no_note() -> None:
    assert domain.check_note(Action.APPLY, "") == {}


def test_termination_rules() -> None:
    today = D(2026, 5, 10)
    ok = {"reason": TerminationReason.ADOPTED, "text": "", "changed_on": today, "today": today}
    assert domain.check_termination(**ok) == {}
    assert set(domain.check_termination(**{**ok, "reason": "bored"})) == {"reason"}
    assert set(domain.check_termination(**{**ok, "reason": "other"})) == {"text"}
    assert domain.check_termination(**{**ok, "reason": "other", "text": "Went abroad"}) == {}
    assert set(domain.check_termination(**{**ok, "changed_on": D(2026, 5, 11)})) == {"changed_on"}
    assert set(domain.check_termination(**{**ok, "changed_on": None})) == {"changed_on"}


def test_the_closed_list_of_termination_reasons() -> None:
    assert {str(r) for r in TerminationReason} == {
        "turned_18",
        "adopted",
        "died",
        "parent_situation_ended",
        "moved_away",
        "other",
    }


def test_applicants() -> None:
    assert domain.check_applicant("village_committee") == {}
    assert set(domain.check_applicant("neighbour")) == {"applicant"}
