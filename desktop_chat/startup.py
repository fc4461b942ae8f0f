"""Telling when the window is on screen: its first paint, and start-up's clock."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from . import STARTED

PAINT_TIMEOUT_MS = 2000
"""A window that is not painted by then (a platform that paints only what it can see, a
minimised start) does not hold up the rest of start-up."""


def since_start_ms() -> float:
    return (time.perf_counter() - STARTED) * 1000


class FirstPaintWatcher(QObject):
    """Emits `painted` once, right after the watched widget has been painted the first time."""

    painted = Signal()

    def __init__(self, widget: QObject) -> None:
        super().__init__(widget)
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            # The filter runs before the paint; report once the paint has been delivered.
            QTimer.singleShot(0, self.painted.emit)
        return False


def show_and_wait_for_paint(window: QWidget) -> bool:
    """Show `window` and run Qt's events until it has been painted; False if it was not
    painted within PAINT_TIMEOUT_MS."""
    watcher = FirstPaintWatcher(window)
    painted: list[bool] = []
    events = QEventLoop()
    watcher.painted.connect(lambda: painted.append(True))
    watcher.painted.connect(events.quit)
    timeout = QTimer()
    timeout.setSingleShot(True)
    timeout.timeout.connect(events.quit)
    timeout.start(PAINT_TIMEOUT_MS)
    window.show()
    # A freshly launched app takes the keyboard, so shortcuts work without a first click.
    window.activateWindow()
    events.exec()
    timeout.stop()
    watcher.deleteLater()
    return bool(painted)
