"""Pausing Python's cyclic garbage collector around work that makes many
objects and frees none of them cyclically: a compile (the AST, the lowered
templates), a batch of configs decoded at once, the list `load` builds.

Triggered by allocations, the collector would scan those young objects
again and again while they are being made (up to half the time of such
work). Paused, it resumes afterwards with what was made counted as old
(`gc.freeze` then `gc.unfreeze` puts it in the oldest generation): else the
first allocation after the pause would scan all of it at once. The objects
are still collected as usual in the collector's full collections.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector paused inside the block (nothing changes when it was
    already paused: the caller who paused it resumes it)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
        gc.unfreeze()
