"""A stand-in for ``insights.indicators`` with fixed numbers, so the report and the export
tests say exactly which indicator triggered what (the real indicators are tested with
their own module)."""

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any


@dataclass(frozen=True)
class FakeThreshold:
    limit: float
    direction: str
    problem: str


@dataclass(frozen=True)
class FakeIndicator:
    code: str
    label: str
    value: float | None
    numerator: int
    denominator: int
    unit: str
    threshold: FakeThreshold | None
    problem: bool


def ind(
    code: str,
    num: int,
    den: int,
    *,
    limit: float | None,
    direction: str = "min",
    problem_key: str = "",
    unit: str = "share",
    label: str = "",
) -> FakeIndicator:
    value = num / den if den else None
    threshold = FakeThreshold(limit, direction, problem_key) if limit is not None else None
    flagged = (
        threshold is not None
        and value is not None
        and (
            value < limit if direction == "min" else value > limit  # type: ignore[operator]
        )
    )
    return FakeIndicator(code, label or code, value, num, den, unit, threshold, flagged)


def s_town_indicators() -> dict[str, FakeIndicator]:
    """S-town as the field study found it: low coverage, narrow mix, scattered duty."""
    items = [
        ind("coverage_90d", 19, 50, limit=0.80, problem_key="limited_coverage", label="Coverage"),
        ind("participation_12m", 20, 50, limit=0.30, problem_key="limited_coverage"),
        ind(
            "narrow_mix_share",
            31,
            40,
            limit=0.50,
            direction="max",
            problem_key="single_content",
            label="Narrow mix",
        ),
        ind("named_responsible", 30, 50, limit=0.90, problem_key="scattered_responsibility"),
        ind("served_k_of_m", 10, 50, limit=0.50, problem_key="no_long_term"),
        ind("weekly_contact_4w", 45, 50, limit=0.80, problem_key="family"),
        ind("volunteer_hours_used", 12, 120, limit=0.30, problem_key="resources", unit="share"),
    ]
    return {i.code: i for i in items}


def healthy_indicators() -> dict[str, FakeIndicator]:
    items = [
        ind("coverage_90d", 48, 50, limit=0.80, problem_key="limited_coverage", label="Coverage"),
        ind("weekly_contact_4w", 45, 50, limit=0.80, problem_key="family"),
    ]
    return {i.code: i for i in items}


def fake_api(by_area: dict[str, dict[str, FakeIndicator]], default: Any = None) -> Any:
    """``indicators_for`` answers from ``by_area`` (area code → indicators), else default."""
    calls: list[tuple[str, dt.date]] = []

    def indicators_for(*, area: Any, month: dt.date) -> dict[str, FakeIndicator]:
        calls.append((area.code, month))
        return by_area.get(area.code, default if default is not None else {})

    def indicators_by_child_area(*, area: Any, month: dt.date, level: str = "village") -> dict:
        return {
            sub.code: by_area.get(sub.code, default if default is not None else {})
            for sub in area.subareas.all()
        }

    return SimpleNamespace(
        indicators_for=indicators_for,
        indicators_by_child_area=indicators_by_child_area,
        calls=calls,
    )
