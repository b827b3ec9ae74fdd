"""The procedure for de facto unsupported children (事实无人抚养儿童), as a state machine.

民发〔2019〕62号, amended by 民发〔2020〕125号 (DOMAIN.md §3.2, [V2]):

1. application (申请) at the township of the child's hukou, by the guardian or a close
   relative entrusted by the guardian, in special cases by the village committee;
2. verification (查验) by the township, normally by matching data between departments; it
   may ask for more material (here: ``return``, back to ``submitted`` with a note);
3. confirmation (确认) by the county civil affairs bureau, or rejection with the reasons in
   writing;
4. the allowance starts from the month after confirmation (``active_from``);
5. termination (终止) from the month after the change that ended eligibility.

There is **no public-notice step** (不设置公示环节, to protect the child's privacy): no state
or action here publishes anything, and none may be added.

Stored states are ``submitted``, ``verified``, ``confirmed``, ``rejected`` and ``terminated``.
"Active" is not stored: a confirmed application is active from ``active_from`` on, and the
``Phase`` of an application on a given day is computed (``phase``), so no scheduled job has
to flip a state at the start of a month.

Pure Python: no ORM. Capabilities come from ``access.capabilities`` (an enum, no ORM).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.access.capabilities import Cap


class State(StrEnum):
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    TERMINATED = "terminated"


STATE_LABELS: dict[State, Promise] = {
    State.SUBMITTED: gettext_lazy("Awaiting township verification"),
    State.VERIFIED: gettext_lazy("Verified, awaiting county confirmation"),
    State.CONFIRMED: gettext_lazy("Confirmed by the county"),
    State.REJECTED: gettext_lazy("Rejected by the county"),
    State.TERMINATED: gettext_lazy("Ended"),
}

# An application is "open" until it is rejected or terminated: at most one per child.
CLOSED_STATES = frozenset({State.REJECTED, State.TERMINATED})
OPEN_STATES = frozenset(State) - CLOSED_STATES


class Action(StrEnum):
    APPLY = "apply"
    VERIFY = "verify"
    RETURN = "return"
    CONFIRM = "confirm"
    REJECT = "reject"
    TERMINATE = "terminate"


ACTION_LABELS: dict[Action, Promise] = {
    Action.APPLY: gettext_lazy("Applied"),
    Action.VERIFY: gettext_lazy("Verified by the township"),
    Action.RETURN: gettext_lazy("Returned for more material"),
    Action.CONFIRM: gettext_lazy("Confirmed by the county"),
    Action.REJECT: gettext_lazy("Rejected by the county"),
    Action.TERMINATE: gettext_lazy("Ended"),
}


class Applicant(StrEnum):
    """Who applied (DOMAIN.md §3.2 step 1). A child director records it on their behalf."""

    GUARDIAN = "guardian"
    ENTRUSTED_RELATIVE = "entrusted_relative"
    VILLAGE_COMMITTEE = "village_committee"


APPLICANT_LABELS: dict[Applicant, Promise] = {
    Applicant.GUARDIAN: gettext_lazy("The guardian"),
    Applicant.ENTRUSTED_RELATIVE: gettext_lazy("A close relative entrusted by the guardian"),
    Applicant.VILLAGE_COMMITTEE: gettext_lazy("The village committee"),
}


class TerminationReason(StrEnum):
    """Why eligibility ended. The national list is not confirmed ([R], DOMAIN.md §3.2)."""

    TURNED_18 = "turned_18"
    ADOPTED = "adopted"
    DIED = "died"
    PARENT_SITUATION_ENDED = "parent_situation_ended"
    MOVED_AWAY = "moved_away"
    OTHER = "other"


TERMINATION_REASON_LABELS: dict[TerminationReason, Promise] = {
    TerminationReason.TURNED_18: gettext_lazy("The child turned 18"),
    TerminationReason.ADOPTED: gettext_lazy("The child was adopted"),
    TerminationReason.DIED: gettext_lazy("The child died"),
    TerminationReason.PARENT_SITUATION_ENDED: gettext_lazy(
        "A parent's qualifying situation ended (released, recovered, found)"
    ),
    TerminationReason.MOVED_AWAY: gettext_lazy("The child's household registration moved away"),
    TerminationReason.OTHER: gettext_lazy("Other (say what)"),
}


def choices(labels: dict[str, Promise]) -> list[tuple[str, Promise]]:
    """``(value, label)`` pairs for a model or form field."""
    return [(str(value), label) for value, label in labels.items()]


# --- The transition table -------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    to_state: State
    capability: Cap
    note_required: bool  # a written note is required: every decision records why


# (state, action) -> transition. ``None`` is "no application yet".
TRANSITIONS: dict[tuple[State | None, Action], Transition] = {
    (None, Action.APPLY): Transition(State.SUBMITTED, Cap.APPLY_FUC, note_required=False),
    (State.SUBMITTED, Action.VERIFY): Transition(
        State.VERIFIED, Cap.VERIFY_FUC, note_required=True
    ),
    (State.SUBMITTED, Action.RETURN): Transition(
        State.SUBMITTED, Cap.VERIFY_FUC, note_required=True
    ),
    (State.VERIFIED, Action.CONFIRM): Transition(
        State.CONFIRMED, Cap.DECIDE_FUC, note_required=True
    ),
    (State.VERIFIED, Action.REJECT): Transition(State.REJECTED, Cap.DECIDE_FUC, note_required=True),
    # Termination's "why" is a reason from a closed list (``check_termination``).
    (State.CONFIRMED, Action.TERMINATE): Transition(
        State.TERMINATED, Cap.DECIDE_FUC, note_required=False
    ),
}


# Each action appears in exactly one transition: the capability it needs, whatever the state.
ACTION_CAPABILITIES: dict[Action, Cap] = {a: t.capability for (_s, a), t in TRANSITIONS.items()}


class IllegalTransition(ValueError):  # noqa: N818  (the domain's word)
    def __init__(self, state: State | None, action: Action) -> None:
        super().__init__(f"{action} is not allowed from {state or 'no application'}")
        self.state = state
        self.action = action


def transition(state: State | str | None, action: Action | str) -> Transition:
    """The transition for ``action`` from ``state``; raises ``IllegalTransition``."""
    key_state = State(state) if state else None
    key_action = Action(action)
    try:
        return TRANSITIONS[(key_state, key_action)]
    except KeyError:
        raise IllegalTransition(key_state, key_action) from None


def next_state(state: State | str | None, action: Action | str) -> State:
    return transition(state, action).to_state


def actions_from(state: State | str | None) -> list[tuple[Action, Cap]]:
    """The actions possible from ``state``, each with the capability it needs."""
    key_state = State(state) if state else None
    return [(a, t.capability) for (s, a), t in TRANSITIONS.items() if s == key_state]


# --- Months: when the allowance starts and stops --------------------------------------


def first_of_next_month(day: dt.date) -> dt.date:
    if day.month == 12:
        return dt.date(day.year + 1, 1, 1)
    return dt.date(day.year, day.month + 1, 1)


def active_from(confirmed_on: dt.date) -> dt.date:
    """The allowance starts from the month after confirmation (DOMAIN.md §3.2 step 3)."""
    return first_of_next_month(confirmed_on)


def terminated_from(changed_on: dt.date, *, active_from: dt.date | None = None) -> dt.date:
    """Eligibility ends from the month after the change (DOMAIN.md §3.2 step 4).

    Never before the allowance started: a change that happened before confirmation ends
    the allowance on the day it would have started (no month is paid).
    """
    ends = first_of_next_month(changed_on)
    if active_from is not None and ends < active_from:
        return active_from
    return ends


# --- Working days and the step deadlines ([R]) ----------------------------------------

# DOMAIN.md §3.2: "15 + 15 working days" is consistent with the 跨省通办 procedure but the
# 民发〔2019〕62号 text was not found. Grade [R]: a configurable default, labelled unconfirmed.
DEFAULT_TOWNSHIP_DAYS = 15
DEFAULT_COUNTY_DAYS = 15
DEADLINE_SOURCE_GRADE = "R"


def is_working_day(
    day: dt.date,
    holidays: Iterable[dt.date] = frozenset(),
    *,
    makeup_workdays: Iterable[dt.date] = frozenset(),
) -> bool:
    """Monday to Friday, except public holidays; a make-up working day (调休上班) counts."""
    if day in makeup_workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(
    start: dt.date,
    n: int,
    holidays: Iterable[dt.date] = frozenset(),
    *,
    makeup_workdays: Iterable[dt.date] = frozenset(),
) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted)."""
    if n < 0:
        msg = "n must not be negative"
        raise ValueError(msg)
    holidays = frozenset(holidays)
    makeup = frozenset(makeup_workdays)
    day = start
    remaining = n
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays, makeup_workdays=makeup):
            remaining -= 1
    return day


@dataclass(frozen=True)
class Deadlines:
    township_days: int = DEFAULT_TOWNSHIP_DAYS
    county_days: int = DEFAULT_COUNTY_DAYS
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    makeup_workdays: frozenset[dt.date] = field(default_factory=frozenset)

    def township_due(self, submitted_on: dt.date) -> dt.date:
        """The township's step is due this many working days after submission (or return)."""
        return add_working_days(
            submitted_on, self.township_days, self.holidays, makeup_workdays=self.makeup_workdays
        )

    def county_due(self, verified_on: dt.date) -> dt.date:
        """The county's step is due this many working days after verification."""
        return add_working_days(
            verified_on, self.county_days, self.holidays, makeup_workdays=self.makeup_workdays
        )

    @property
    def unconfirmed(self) -> bool:
        """True while the national defaults are in use (grade [R], not checked)."""
        return (self.township_days, self.county_days) == (
            DEFAULT_TOWNSHIP_DAYS,
            DEFAULT_COUNTY_DAYS,
        )


def is_overdue(due_on: dt.date | None, today: dt.date) -> bool:
    return due_on is not None and due_on < today


# --- What an application is, on a given day -------------------------------------------


class Phase(StrEnum):
    AWAITING_TOWNSHIP = "awaiting_township"
    AWAITING_COUNTY = "awaiting_county"
    CONFIRMED = "confirmed"  # confirmed; the allowance starts next month
    ACTIVE = "active"
    REJECTED = "rejected"
    ENDING = "ending"  # terminated; the allowance runs to the end of this month
    ENDED = "ended"


PHASE_LABELS: dict[Phase, Promise] = {
    Phase.AWAITING_TOWNSHIP: gettext_lazy("Awaiting township verification"),
    Phase.AWAITING_COUNTY: gettext_lazy("Verified, awaiting county confirmation"),
    Phase.CONFIRMED: gettext_lazy("Confirmed; the allowance starts next month"),
    Phase.ACTIVE: gettext_lazy("Receiving the allowance"),
    Phase.REJECTED: gettext_lazy("Rejected by the county"),
    Phase.ENDING: gettext_lazy("Ended; the allowance runs to the end of this month"),
    Phase.ENDED: gettext_lazy("Ended"),
}


def phase(
    state: State | str,
    *,
    active_from: dt.date | None,
    terminated_from: dt.date | None,
    today: dt.date,
) -> Phase:
    state = State(state)
    if state == State.SUBMITTED:
        return Phase.AWAITING_TOWNSHIP
    if state == State.VERIFIED:
        return Phase.AWAITING_COUNTY
    if state == State.REJECTED:
        return Phase.REJECTED
    if state == State.CONFIRMED:
        return Phase.ACTIVE if active_from is not None and today >= active_from else Phase.CONFIRMED
    if terminated_from is not None and today < terminated_from:
        return Phase.ENDING
    return Phase.ENDED


# --- Input rules ------------------------------------------------------------------------


def check_note(action: Action | str, note: str) -> dict[str, list[str]]:
    """A decision without its written reason is refused (field ``note`` or ``reason``)."""
    action = Action(action)
    if not transition_needs_note(action) or note.strip():
        return {}
    if action == Action.REJECT:
        return {"reason": [_("Please give the reasons for the rejection in writing.")]}
    if action == Action.RETURN:
        return {"note": [_("Please say what material is missing.")]}
    if action == Action.VERIFY:
        return {"note": [_("Please say how each parent's situation was verified.")]}
    if action == Action.CONFIRM:
        return {"note": [_("Please say on what grounds the child qualifies.")]}
    return {"note": [_("Please give a reason.")]}


def transition_needs_note(action: Action) -> bool:
    return any(t.note_required for (_s, a), t in TRANSITIONS.items() if a == Action(action))


def check_termination(
    *, reason: str, text: str, changed_on: dt.date | None, today: dt.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if reason not in set(TerminationReason):
        errors["reason"] = [_("Please choose why the child no longer qualifies.")]
    elif reason == TerminationReason.OTHER and not text.strip():
        errors["text"] = [_("Please say what changed.")]
    if changed_on is None:
        errors["changed_on"] = [_("Please give the date of the change.")]
    elif changed_on > today:
        errors["changed_on"] = [_("This date cannot be in the future.")]
    return errors


def check_applicant(applicant: str) -> dict[str, list[str]]:
    if applicant not in set(Applicant):
        return {"applicant": [_("Please choose who applied.")]}
    return {}
