"""Helpers for the assessment tests: the shipped instrument (loaded by the data migration)
and answers to it."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from shouwang.assessments import services
from shouwang.assessments.models import Assessment, Instrument
from shouwang.registry.models import Child
from shouwang.testing.world import World


@pytest.fixture
def needs(db: None) -> Instrument:
    return Instrument.objects.get(code="needs", version="2026.1")


def calm_answers(instrument: Instrument) -> dict[str, str]:
    """The answer of least concern to every question: a low risk."""
    return {
        q.id: min(q.options, key=lambda o: o.score).value for _d, q in instrument.parsed.questions()
    }


Record = Callable[..., Assessment]


@pytest.fixture
def record(world: World, needs: Instrument) -> Record:
    def _record(child: Child | None = None, actor: object = None, **changes: Any) -> Assessment:
        return services.assessment_record(
            actor=actor or world.alice,  # type: ignore[arg-type]
            child=child or world.hongmei,
            instrument=needs,
            answers={**calm_answers(needs), **changes},
            assessed_on=timezone.localdate(),
        )

    return _record
