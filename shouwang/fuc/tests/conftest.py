"""Helpers for the FUC tests: a fixed clock and a short way through the procedure."""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shouwang.fuc import services
from shouwang.fuc.models import FucApplication
from shouwang.registry.models import Child
from shouwang.testing.world import World

SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def on(day: dt.date, hour: int = 10) -> Iterator[None]:
    """Run the block at ``hour`` o'clock, Beijing time, on ``day``."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI), tick=False):
        yield


Apply = Callable[..., FucApplication]


@pytest.fixture
def apply(world: World) -> Apply:
    def _apply(child: Child | None = None, actor: object = None) -> FucApplication:
        return services.fuc_apply(
            actor=actor or world.alice,  # type: ignore[arg-type]
            child=child or world.hongmei,
            applicant="guardian",
            note="Paper form received at the township.",
        )

    return _apply


@pytest.fixture
def verified(world: World, apply: Apply) -> FucApplication:
    application = apply()
    return services.fuc_verify(
        actor=world.sam, application=application, note="Matched with police data."
    )


@pytest.fixture
def confirmed(world: World, verified: FucApplication) -> FucApplication:
    return services.fuc_confirm(
        actor=world.carl, application=verified, note="Both parents imprisoned (>= 6 months)."
    )
