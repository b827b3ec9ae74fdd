"""Pausing Python's cyclic garbage collector around a bulk operation."""

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block (reference counting still frees almost
    everything); the collector runs again as before once it ends, however it ends.

    A census import builds millions of small objects that live until it ends; the
    collector walked them all again and again as they piled up: 4.7 s of a 100,000-row
    import's 12.4 s of CPU (docs/benchmarks.md, B3). Objects in cycles made inside the block
    are collected after it. Nested blocks leave the collector as the outermost found it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def without_collection(fn: Callable[P, R]) -> Callable[P, R]:
    """``fn`` runs inside ``paused()``."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused():
            return fn(*args, **kwargs)

    return wrapper
