"""Cyclic garbage is collected on the main thread, never on a worker thread.

Python's cycle collector runs in whichever thread happens to be allocating. When it frees
a Qt object caught in a reference cycle on a worker thread (the store's, or a host-name
lookup's), Qt cannot unregister that object's timers from there, and later delivers a
timer event to freed memory: the process crashes in QTimerInfoList::activateTimers. This
was seen here about once in two test runs. So automatic collection is off, and a timer on
the main thread collects on Python's own schedule (its generation thresholds).
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 100
FULL_COLLECTION_EVERY_S = 10.0
"""CPython runs a full collection only when enough long-lived objects have piled up
(a quarter of them); that count is not exposed, so full collections are spaced in time."""


class MainThreadCollector(QObject):
    """Create on the main thread; collects there until `stop()`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start()
        self._last_full = time.monotonic()

    def collect_if_due(self) -> int:
        """Collect the generations Python would have collected by now; returns how many
        objects were freed."""
        young, middle, old = gc.get_count()
        first, second, third = self._thresholds
        if young < first:
            return 0
        generation = 1 if middle >= second else 0
        now = time.monotonic()
        if old >= third and now - self._last_full >= FULL_COLLECTION_EVERY_S:
            generation, self._last_full = 2, now
        return gc.collect(generation)

    def freeze_long_lived(self) -> None:
        """Once start-up is over: what is alive now (libraries, caches) lives as long as
        the app, so it is left out of every later collection. A full collection of the
        running app then takes well under a millisecond instead of ~50 ms."""
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
