"""Fixtures shared by every test: the personas world (see shouwang/testing/world.py)."""

import pytest

from shouwang.testing.world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()
