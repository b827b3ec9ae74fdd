import gc

import pytest

from shouwang.lib.memory import paused, without_collection


@pytest.fixture(autouse=True)
def _collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    with paused():
        assert not gc.isenabled()
        with paused():  # nested: the inner block leaves it as it found it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError), paused():
        raise RuntimeError
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()


def test_the_decorator_pauses_around_the_call_only() -> None:
    @without_collection
    def inside() -> bool:
        return gc.isenabled()

    assert inside() is False
    assert gc.isenabled()
