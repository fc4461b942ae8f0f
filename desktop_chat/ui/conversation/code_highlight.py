"""Colouring finished code blocks with Pygments, a few milliseconds at a time.

Lexing 20,000 characters and applying their formats takes ~60 ms here, far over a 16 ms
frame, so blocks are queued and their formats applied in slices between frames. Pygments
loads on first use, after the window is up.
"""

from __future__ import annotations

import time
from asyncio import Future
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor, QTextDocument

SLICE_S = 0.004
LARGEST_BLOCK = 20_000
COLOUR_AT_ONCE = 1_500
"""Blocks up to this long are coloured as they are written (about a millisecond)."""
"""Longer blocks stay plain: colouring them would cost seconds of lexing."""
LIGHT_STYLE = "default"
DARK_STYLE = "one-dark"


@dataclass
class _Job:
    start: QTextCursor
    """Tracks the block's first character as the document changes around it."""
    text: str
    language: str
    still_valid: Callable[[], bool]
    tokens: list[tuple[int, int, QTextCharFormat]] | None = None
    done: int = 0


MIN_CONTRAST = 4.5
"""WCAG AA for text: a style's colour below it is moved towards the text colour."""


def readable(colour: QColor, background: QColor, toward: QColor) -> QColor:
    """`colour`, or the nearest mix of it with `toward` that reads on `background`."""
    from ..theme import contrast

    mixed = QColor(colour)
    step = 0
    while contrast(mixed, background) < MIN_CONTRAST and step < 10:
        step += 1
        amount = step / 10
        mixed = QColor(
            round(colour.red() + (toward.red() - colour.red()) * amount),
            round(colour.green() + (toward.green() - colour.green()) * amount),
            round(colour.blue() + (toward.blue() - colour.blue()) * amount),
        )
    return mixed


@dataclass
class _Formats:
    style: Any
    background: QColor
    text: QColor
    cache: dict[Any, QTextCharFormat | None] = field(default_factory=dict)

    def of(self, token_type: Any) -> QTextCharFormat | None:
        if token_type not in self.cache:
            spec = self.style.style_for_token(token_type)
            fmt: QTextCharFormat | None = None
            if spec["color"] or spec["bold"] or spec["italic"]:
                fmt = QTextCharFormat()
                if spec["color"]:
                    colour = QColor(f"#{spec['color']}")
                    fmt.setForeground(readable(colour, self.background, self.text))
                if spec["bold"]:
                    fmt.setFontWeight(QFont.Weight.Bold)
                if spec["italic"]:
                    fmt.setFontItalic(True)
            self.cache[token_type] = fmt
        return self.cache[token_type]


class CodeHighlighter(QObject):
    """Colours code blocks when asked to `work`: the message view calls it each frame with
    what is left of the frame's time, so writing replies and colouring them never add up
    to more than a frame. `wanted` is called when there is work to do."""

    def __init__(
        self,
        document: QTextDocument,
        parent: QObject | None = None,
        wanted: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._jobs: deque[_Job] = deque()
        self._dark = False
        self._background = QColor("#f0f0f0")
        self._text = QColor("#000000")
        self._formats: _Formats | None = None
        self._wanted = wanted or (lambda: None)
        self._preloading: Future[Any] | None = None
        self._lexers: dict[str, Any] = {}

    def wait_for(self, preloading: Future[Any]) -> None:
        """Hold colouring until Pygments is imported on another thread: importing the same
        modules on two threads at once can fail."""
        self._preloading = preloading
        # The window may be gone by then (closed while starting, or replaced).
        preloading.add_done_callback(lambda _: shiboken6.isValid(self) and self._wanted())

    @staticmethod
    def preload() -> None:
        """Import Pygments ahead of the first code block (~40 ms), and compile the patterns
        of the language most replies show. Meant for a worker thread."""
        import pygments.lexers
        import pygments.styles

        lexer = pygments.lexers.get_lexer_by_name("python")
        list(lexer.get_tokens_unprocessed("def f(x):\n    return f'{x!r}' # x\n"))
        pygments.styles.get_style_by_name(LIGHT_STYLE)

    def colour_now(self, start: int, text: str, language: str) -> bool:
        """Colour a short code block at once (inside the caller's edit, so the document is
        laid out once for both); False when it must wait for `highlight`'s slices (Pygments
        not loaded yet, or a long block)."""
        if not language or not self.ready or len(text) > COLOUR_AT_ONCE:
            return False
        cursor = QTextCursor(self._document)
        job = _Job(cursor, text, language, lambda: True)
        job.tokens = self._lex(job)
        for offset, length, fmt in job.tokens:
            cursor.setPosition(start + offset)
            cursor.setPosition(start + offset + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
        return True

    def set_colours(self, dark: bool, background: QColor, text: QColor) -> None:
        """The code blocks' background and text colour: token colours are kept readable
        (≥ 4.5:1) on it."""
        if (dark, background, text) != (self._dark, self._background, self._text):
            self._dark, self._background, self._text = dark, QColor(background), QColor(text)
            self._formats = None

    def highlight(
        self, start: int, text: str, language: str, still_valid: Callable[[], bool]
    ) -> None:
        """Colour the code `text` that begins at document position `start`."""
        if not language or len(text) > LARGEST_BLOCK:
            return
        cursor = QTextCursor(self._document)
        cursor.setPosition(start)
        self._jobs.append(_Job(cursor, text, language, still_valid))
        self._wanted()

    def forget(self) -> None:
        """Drop the queued work: the document is about to be cleared, and the positions
        the jobs track would point at nothing (or at other text)."""
        self._jobs.clear()

    @property
    def pending(self) -> int:
        return len(self._jobs)

    @property
    def ready(self) -> bool:
        """Pygments is loaded: `work` will colour (until then it waits, doing nothing)."""
        return self._preloading is None or self._preloading.done()

    def finish(self) -> None:
        """Do all queued work now (tests, exports)."""
        while self._jobs:
            self.work(deadline=float("inf"))

    def work(self, deadline: float | None = None) -> None:
        """Colour until `deadline` (time.perf_counter()), or for one short slice."""
        if not self.ready or not self._jobs:
            return
        deadline = time.perf_counter() + SLICE_S if deadline is None else deadline
        # One edit for the slice: the document is laid out again once, not after each run.
        batch = QTextCursor(self._document)
        batch.beginEditBlock()
        try:
            self._work_until(deadline)
        finally:
            batch.endEditBlock()

    def _work_until(self, deadline: float) -> None:
        while self._jobs and time.perf_counter() < deadline:
            job = self._jobs[0]
            if not job.still_valid():
                self._jobs.popleft()
                continue
            if job.tokens is None:
                job.tokens = self._lex(job)
            cursor = QTextCursor(self._document)
            origin = job.start.position()
            end = origin + len(job.text)
            if end >= self._document.characterCount():
                self._jobs.popleft()  # the block is gone (the text around it was replaced)
                continue
            while job.done < len(job.tokens) and time.perf_counter() < deadline:
                offset, length, fmt = job.tokens[job.done]
                cursor.setPosition(origin + offset)
                cursor.setPosition(origin + offset + length, QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(fmt)
                job.done += 1
            if job.done >= len(job.tokens):
                self._jobs.popleft()

    def _lexer(self, language: str) -> Any:
        """The lexer for a language (made once: finding it costs ~0.2 ms); None if unknown."""
        if language not in self._lexers:
            from pygments.lexers import get_lexer_by_name
            from pygments.util import ClassNotFound

            try:
                lexer = get_lexer_by_name(language, stripnl=False, ensurenl=False)
            except ClassNotFound:
                lexer = None
            self._lexers[language] = lexer
        return self._lexers[language]

    def _lex(self, job: _Job) -> list[tuple[int, int, QTextCharFormat]]:
        lexer = self._lexer(job.language)
        if lexer is None:
            return []
        formats = self._current_formats()
        runs: list[tuple[int, int, QTextCharFormat]] = []
        for offset, token_type, value in lexer.get_tokens_unprocessed(job.text):
            fmt = formats.of(token_type)
            if fmt is None or not value:
                continue
            if runs and runs[-1][2] is fmt and runs[-1][0] + runs[-1][1] == offset:
                runs[-1] = (runs[-1][0], runs[-1][1] + len(value), fmt)
            else:
                runs.append((offset, len(value), fmt))
        return runs

    def _current_formats(self) -> _Formats:
        if self._formats is None:
            from pygments.styles import get_style_by_name

            style = get_style_by_name(DARK_STYLE if self._dark else LIGHT_STYLE)
            self._formats = _Formats(style, self._background, self._text)
        return self._formats
