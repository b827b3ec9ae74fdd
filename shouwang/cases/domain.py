"""Pure rules of the case: follow-up rhythm by risk, due dates, when a plan needs approval,
and which visit concerns are mandatory-report triggers. No ORM.

The follow-up frequencies are our design choice, not law: no national visit frequency
was found (DOMAIN.md §4.4). They are configurable (``SHOUWANG_FOLLOW_UP_DAYS``).
"""

import datetime as dt
from collections.abc import Mapping

DEFAULT_FOLLOW_UP_DAYS: Mapping[str, int] = {
    "urgent": 7,  # weekly
    "high": 14,  # every two weeks
    "medium": 30,  # monthly
    "low": 90,  # quarterly
}
RISK_LEVELS = ("low", "medium", "high", "urgent")
# Plans for these risk levels wait for the township supervisor's approval.
APPROVAL_REQUIRED = frozenset({"high", "urgent"})
PLAN_REVIEW_DAYS = 90

# Visit concerns that are mandatory-report triggers, mapped to the 13号 trigger they are
# (国发〔2016〕13号, DOMAIN.md §1.3(a)): the visit form prompts to file a report.
REPORT_TRIGGERS: Mapping[str, str] = {
    "living_alone": "living_alone",
    "missing": "missing",
    "guardian_neglect": "guardian_incapable_or_neglecting",
    "suspected_violence": "suspected_domestic_violence",
    "suspected_harm": "suspected_injury_or_unlawful_harm",
}


def parse_follow_up_days(raw: Mapping[str, int] | str | None) -> dict[str, int]:
    """``"urgent=7,high=14,medium=30,low=90"`` (or a mapping) over the defaults."""
    days = dict(DEFAULT_FOLLOW_UP_DAYS)
    if not raw:
        return days
    items = (
        raw.items()
        if isinstance(raw, Mapping)
        else (part.split("=", 1) for part in str(raw).split(",") if part.strip())
    )
    for key, value in items:
        level = str(key).strip()
        if level not in RISK_LEVELS:
            msg = f"unknown risk level {level!r} in follow-up days"
            raise ValueError(msg)
        number = int(value)
        if number < 1:
            msg = f"follow-up days for {level} must be at least 1"
            raise ValueError(msg)
        days[level] = number
    return days


def next_due(*, last: dt.date | None, opened: dt.date, every_days: int) -> dt.date:
    """The next follow-up: ``every_days`` after the last one, or after opening."""
    return (last or opened) + dt.timedelta(days=every_days)


def needs_approval(risk_level: str) -> bool:
    return risk_level in APPROVAL_REQUIRED


def report_triggers(concerns: list[str]) -> list[str]:
    """The mandatory-report triggers among a visit's concerns, in a stable order."""
    return [REPORT_TRIGGERS[c] for c in concerns if c in REPORT_TRIGGERS]


def risk_rank(level: str) -> int:
    """0 for urgent … 3 for low (for ordering: the most urgent first)."""
    return {"urgent": 0, "high": 1, "medium": 2, "low": 3}.get(level, 4)
