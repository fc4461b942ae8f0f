"""Cyclic garbage is collected on the main thread, on Python's own schedule."""

from __future__ import annotations

import gc
import weakref

from desktop_chat.main_thread_gc import MainThreadCollector


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_collection_moves_to_the_main_thread_and_still_frees_cycles(
    qapp, garbage_collected_on_the_main_thread
) -> None:  # type: ignore[no-untyped-def]
    assert not gc.isenabled(), "the session's collector switched automatic collection off"
    gc.collect()
    first, second = _Node(), _Node()
    first.other, second.other = second, first
    alive = weakref.ref(first)
    del first, second
    # Enough live allocations that Python's own collector would have run.
    kept = [_Node() for _ in range(gc.get_threshold()[0] + 10)]
    assert alive() is not None  # nothing collected behind our back
    assert garbage_collected_on_the_main_thread.collect_if_due() > 0
    assert alive() is None
    del kept


def test_stopping_gives_collection_back_to_python(qapp) -> None:  # type: ignore[no-untyped-def]
    was_enabled = gc.isenabled()
    collector = MainThreadCollector()
    assert not gc.isenabled()
    collector.stop()
    assert gc.isenabled()
    if not was_enabled:
        gc.disable()  # the session's collector is still in charge
