"""Helpers for the safeguarding tests: a fixed clock and a short way to file a report."""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shouwang.safeguarding import services
from shouwang.safeguarding.domain import Trigger
from shouwang.safeguarding.models import Report
from shouwang.testing.world import World

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)  # a Monday morning


@contextmanager
def at(when: dt.datetime) -> Iterator[object]:
    with time_machine.travel(when, tick=False) as traveller:
        yield traveller


File = Callable[..., Report]


@pytest.fixture
def file_report(world: World) -> File:
    def _file(actor: Any = None, child: Any = "xiaoming", **kwargs: Any) -> Report:
        values: dict[str, Any] = {
            "trigger": Trigger.LIVING_ALONE,
            "immediate_danger": True,
            "what_seen": "She has been alone in the house for a week; no food.",
            "duty_basis": "mpl_art_11",
        }
        values.update(kwargs)
        return services.report_file(
            actor=actor or world.tina,
            child=getattr(world, child) if isinstance(child, str) else child,
            **values,
        )

    return _file


@pytest.fixture
def filed(file_report: File) -> Report:
    with at(T0):
        return file_report()
