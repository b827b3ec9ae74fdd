"""The referral's state machine, pure (no ORM): which step is possible from which status.

    pending ──accept──▶ accepted ──complete──▶ completed
       │                   │
       ├──decline──▶ declined
       └──withdraw──▶ withdrawn ◀──withdraw──┘

Declining is possible only while pending (an accepted referral that cannot be delivered is
withdrawn by its maker, or completed with the outcome saying so).
"""

import datetime as dt
from enum import StrEnum

DEFAULT_RESPONSE_HOURS = 72


class Step(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    COMPLETE = "complete"
    WITHDRAW = "withdraw"


TRANSITIONS: dict[tuple[str, Step], str] = {
    ("pending", Step.ACCEPT): "accepted",
    ("pending", Step.DECLINE): "declined",
    ("pending", Step.WITHDRAW): "withdrawn",
    ("accepted", Step.COMPLETE): "completed",
    ("accepted", Step.WITHDRAW): "withdrawn",
}

OPEN = frozenset({"pending", "accepted"})


class IllegalStepError(Exception):
    pass


def next_status(status: str, step: Step) -> str:
    try:
        return TRANSITIONS[(status, step)]
    except KeyError:
        raise IllegalStepError(f"{step} is not possible from {status}") from None


def steps_from(status: str) -> list[Step]:
    return [step for (source, step) in TRANSITIONS if source == status]


def is_overdue(status: str, respond_by: dt.datetime, now: dt.datetime) -> bool:
    """A referral still waiting for an answer after its deadline."""
    return status == "pending" and respond_by <= now


def age_on(born: dt.date, today: dt.date) -> int:
    """Age in whole years (what a provider sees instead of the birth date)."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
