"""What the message view marks over the text: a message revealed from a search (with the
first place its words occur), and every match of Find in conversation, the current one
brighter. Marks are extra selections: they change no format in the document."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor, QTextFrame
from PySide6.QtWidgets import QTextEdit


class FindMarks:
    def __init__(self, view: QTextEdit) -> None:
        self._view = view
        self._revealed: list[QTextEdit.ExtraSelection] = []
        self._found: list[QTextEdit.ExtraSelection] = []
        self._find_position = -1
        """Where the current find match starts; -1 before the first find."""

    def clear(self) -> None:
        """Another conversation is shown: nothing is marked."""
        self._revealed, self._found, self._find_position = [], [], -1
        self._view.setExtraSelections([])

    def reveal(self, frame: QTextFrame, words: str) -> None:
        """Mark a message, and the first place in it where `words` occur."""
        whole = frame.firstCursorPosition()
        whole.setPosition(frame.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
        self._revealed = [_selection(whole, self._reveal_colour())]
        first_word = next(iter(words.split()), "")
        if first_word:
            found = self._view.document().find(first_word, frame.firstPosition())
            if not found.isNull() and found.position() <= frame.lastPosition():
                self._revealed.append(_selection(found, self._match_colour(current=True)))
        self._apply()

    def find(
        self, text: str, *, backwards: bool, step: bool
    ) -> tuple[QTextCursor | None, int, int]:
        """Mark every place `text` occurs; with `step`, the next (or previous) one becomes
        the current one. Returns (the current place, its number from 1, how many)."""
        document = self._view.document()
        places: list[QTextCursor] = []
        if text:
            cursor = document.find(text, 0)
            while not cursor.isNull():
                places.append(cursor)
                cursor = document.find(text, cursor)
        current = self._current(places, backwards=backwards, step=step)
        self._found = [
            _selection(place, self._match_colour(current=index == current))
            for index, place in enumerate(places)
        ]
        self._find_position = places[current].selectionStart() if places else -1
        self._apply()
        if not places:
            return None, 0, 0
        return places[current], current + 1, len(places)

    def clear_found(self) -> None:
        self._found = []
        self._find_position = -1
        self._apply()

    def _current(self, places: list[QTextCursor], *, backwards: bool, step: bool) -> int:
        if not places:
            return 0
        anchor = self._find_position
        starts = [place.selectionStart() for place in places]
        if anchor < 0:
            return 0
        if not step:  # the text changed: stay at (or just after) the same place
            return next((i for i, start in enumerate(starts) if start >= anchor), 0)
        if backwards:
            return next(
                (i for i in reversed(range(len(starts))) if starts[i] < anchor), len(starts) - 1
            )
        return next((i for i, start in enumerate(starts) if start > anchor), 0)

    def _apply(self) -> None:
        self._view.setExtraSelections([*self._revealed, *self._found])

    def _reveal_colour(self) -> QColor:
        colour = QColor(self._view.palette().color(QPalette.ColorRole.Highlight))
        colour.setAlpha(28)
        return colour

    def _match_colour(self, *, current: bool) -> QColor:
        dark = self._view.palette().color(QPalette.ColorRole.Base).lightness() < 128
        if current:
            return QColor("#ff9632") if not dark else QColor("#b35c00")
        return QColor("#ffe066") if not dark else QColor("#6b5a00")


def _selection(cursor: QTextCursor, background: QColor) -> QTextEdit.ExtraSelection:
    selection = QTextEdit.ExtraSelection()
    selection.cursor = cursor
    text_format = QTextCharFormat()
    text_format.setBackground(background)
    selection.format = text_format
    return selection
