"""Where the message view stays while its document changes. Qt lays a long document out a
little at a time, so the scroll range keeps growing after a change: the view follows it,
to stay at the bottom (a reply streaming in, for a reader who was there) or to keep still
(older messages being added above, for a reader who is reading)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QScrollBar

BOTTOM_SLACK_PX = 4
"""This close to the end counts as at the bottom."""


class ScrollFollow(QObject):
    def __init__(self, bar: QScrollBar) -> None:
        super().__init__(bar)
        self._bar = bar
        self._stick_to_bottom = True
        self._from_bottom: int | None = None
        self._adjusting = False
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)

    def at_bottom(self) -> bool:
        return self._bar.value() >= self._bar.maximum() - BOTTOM_SLACK_PX

    def to_bottom(self) -> None:
        """Go to the end, and stay there as the document grows."""
        self._stick_to_bottom = True
        self.move_to(self._bar.maximum())

    def keep_still(self) -> None:
        """Text is about to be added above: keep what is on screen where it is."""
        self._from_bottom = self._bar.maximum() - self._bar.value()

    def let_go(self) -> None:
        """Stay where the view is put next (a match found, a message revealed)."""
        self._stick_to_bottom = False
        self._from_bottom = None

    def move_to(self, value: int) -> None:
        self._adjusting = True
        self._bar.setValue(value)
        self._adjusting = False

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        if not self._adjusting:  # the user scrolled
            self._stick_to_bottom = self.at_bottom()
            self._from_bottom = None

    @Slot(int, int)
    def _on_range_changed(self, minimum: int, maximum: int) -> None:
        if self._stick_to_bottom:
            self.move_to(maximum)
        elif self._from_bottom is not None:
            self.move_to(maximum - self._from_bottom)
