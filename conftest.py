"""Fixtures shared by every test: the personas world (see shouwang/testing/world.py)."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from shouwang.testing.world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def english_messages() -> Iterator[None]:
    """For tests that assert messages in English: the default language is zh-Hans, and the
    Chinese of every message is checked once, by tests/test_i18n.py."""
    with translation.override("en"):
        yield
