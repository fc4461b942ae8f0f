"""Formulas in documents: typeset by ziamath (LaTeX to SVG, see `typeset`), drawn by QtSvg.

A formula is one character of the document (a text object) whose size and drawing come
from here. Typesetting takes 5 to 25 ms of pure Python: in the window it runs in a process
of its own (given as `Formulas`' executor), a formula at a time, and each result is kept;
until it is ready the formula shows as its LaTeX source, in the code style (as it stays
when it cannot be typeset). Not on a thread: drawing a formula calls back into Python, and
a thread typesetting beside it held the GIL long enough to make each such call wait (a
paint of ten formulas took 50 ms). Drawn as vectors, formulas are sharp at any device
pixel ratio and in the PDF, and take the colour of the text around them. Inline ones sit
on the text's baseline.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from functools import partial

from PySide6.QtCore import QByteArray, QObject, QPointF, QRect, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPaintDevice,
    QPainter,
    QPyTextObject,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from .typeset import (
    FAILED,
    MATH_X_HEIGHT,
    REFERENCE_SIZE,
    Failed,
    Typeset,
    typeset,
    typeset_elsewhere,
)

log = logging.getLogger(__name__)

MATH_OBJECT = int(QTextFormat.ObjectTypes.UserObject) + 1
LATEX = int(QTextFormat.Property.UserProperty) + 20
"""On a formula's character: its LaTeX source."""
DISPLAY = int(QTextFormat.Property.UserProperty) + 21
"""On a formula's character: shown as a display formula (its own centred line)."""
DISPLAY_SCALE = 1.05
"""Display formulas a little larger than the text: they stand on their own line."""
PRINTER, PICTURE = 4, 5
"""QInternal's device types where a formula is drawn as vectors (the others get pixels)."""


class Formulas(QObject):
    """The formulas typeset so far, and those on their way (one worker, in order)."""

    ready = Signal()
    """Formulas asked for have been typeset (or found not to be): lay them out again."""

    def __init__(self, executor: Executor | None) -> None:
        super().__init__()
        self._executor = executor
        """Runs the typesetting; None typesets at once, on the caller's thread (exports)."""
        self._requests: queue.SimpleQueue[tuple[str, bool] | None] = queue.SimpleQueue()
        self._feeder: threading.Thread | None = None
        """Hands the formulas to the executor: its first `submit` starts its process
        (~10 ms), which must not happen on the UI thread, in the middle of a layout."""
        self._done: dict[tuple[str, bool], Typeset | Failed] = {}
        self._asked: set[tuple[str, bool]] = set()
        self._lock = threading.Lock()
        self._announced = False

    def get(self, latex: str, display: bool) -> Typeset | Failed | None:
        """The formula typeset, FAILED, or None while it is being typeset (asked for now)."""
        key = (latex, display)
        found = self._done.get(key)
        if found is not None:
            return found
        if self._executor is None:
            self._done[key] = result = typeset(latex, display)
            return result
        if key not in self._asked:
            self._asked.add(key)
            if self._feeder is None:
                self._feeder = threading.Thread(
                    target=self._feed, name="desktop-chat-math-feeder", daemon=True
                )
                self._feeder.start()
            self._requests.put(key)
        return None

    def stop(self) -> None:
        """No more formulas will be asked for (the app is quitting)."""
        self._requests.put(None)

    def _feed(self) -> None:
        executor = self._executor
        assert executor is not None
        while (key := self._requests.get()) is not None:
            try:
                future = executor.submit(typeset_elsewhere, *key)
            except RuntimeError:  # shut down: nothing more will be drawn
                return
            future.add_done_callback(partial(self._typeset, key))

    def prepare(self, formulas: list[tuple[str, bool]]) -> None:
        """Typeset these now, on this thread (an export's worker, before printing)."""
        for latex, display in formulas:
            key = (latex, display)
            if key not in self._done:
                result = typeset(latex, display)
                with self._lock:
                    self._done[key] = result

    def _typeset(self, key: tuple[str, bool], future: Future[Typeset | str]) -> None:
        """A formula came back (on the executor's side)."""
        try:
            outcome = future.result()
        except Exception as exc:  # the typesetter's process died, or was shut down
            outcome = f"the typesetter stopped: {type(exc).__name__}"
        if isinstance(outcome, Typeset):
            result: Typeset | Failed = outcome
        else:
            log.info("Formula shown as source (%s): %.80s", outcome, key[0])
            result = FAILED
        with self._lock:
            self._done[key] = result
            if self._announced:
                return
            self._announced = True
        # One announcement for a burst of formulas: queued to the thread of this object.
        self.ready.emit()

    def take_announcement(self) -> None:
        """The window has laid formulas out again: the next result announces itself."""
        with self._lock:
            self._announced = False


class MathObjects(QPyTextObject):
    """Sizes and draws the formula characters of one document."""

    def __init__(
        self,
        formulas: Formulas,
        colour: Callable[[], QColor],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._formulas = formulas
        self._colour = colour
        self._images: dict[tuple[bytes, int, int, int], QImage] = {}
        self._waiting: dict[tuple[str, bool], list[tuple[QTextCursor, int]]] = {}
        """Formulas laid out as their source while being typeset, by where they are."""
        self._document: QTextDocument | None = None

    def install(self, document: QTextDocument) -> None:
        layout = document.documentLayout()
        assert layout is not None
        layout.registerHandler(MATH_OBJECT, self)
        self._document = document

    def forget(self) -> None:
        """The document was cleared: the formulas waited for are gone."""
        self._waiting.clear()

    def lay_out_typeset(self, deadline: float = float("inf")) -> bool:
        """Lay out again the formulas typeset since they were shown as their source, until
        `deadline` (time.perf_counter()); False when some are left for another call. Each
        block is laid out once, however many of its formulas came back."""
        document = self._document
        if document is None:
            return True
        ready = [k for k in self._waiting if self._formulas.get(*k) is not None]
        laid_out: set[int] = set()
        for key in ready:
            if time.perf_counter() >= deadline:
                break
            for block_start, _offset in self._waiting.pop(key):
                block = block_start.block()
                end = document.characterCount() - 1
                if block.isValid() and block.position() not in laid_out and block.position() < end:
                    laid_out.add(block.position())
                    length = min(block.length(), end - block.position())
                    document.markContentsDirty(block.position(), length)
        return not any(self._formulas.get(*k) is not None for k in self._waiting)

    # --- QTextObjectInterface ----------------------------------------------------------

    def intrinsicSize(self, document: QTextDocument, position: int, fmt: QTextFormat) -> QSizeF:
        char = fmt.toCharFormat()
        latex, display = char.stringProperty(LATEX), char.boolProperty(DISPLAY)
        result = self._formulas.get(latex, display)
        font = char.font()
        if result is None:
            # Where it is, kept as the document changes: a cursor at its block (which, unlike
            # setting a cursor's position, needs no layout: this runs during one).
            block = document.findBlock(position)
            self._waiting.setdefault((latex, display), []).append(
                (QTextCursor(block), position - block.position())
            )
        device = _device(document)
        if not isinstance(result, Typeset):
            metrics = _metrics(self._source_font(font), device)
            return QSizeF(metrics.horizontalAdvance(latex) + 4, metrics.height())
        scale = self._scale(font, display, device)
        # Qt centres an object at x-height / 2 (AlignMiddle) and offers no baseline: pad the
        # box so that its middle falls where the formula's baseline must sit.
        ascent, descent = _padded(result.ascent * scale, result.descent * scale, font, device)
        return QSizeF(result.width * scale, ascent + descent)

    def drawObject(
        self,
        painter: QPainter,
        rect: QRectF | QRect,
        document: QTextDocument,
        position: int,
        fmt: QTextFormat,
    ) -> None:
        char = fmt.toCharFormat()
        latex, display = char.stringProperty(LATEX), char.boolProperty(DISPLAY)
        result = self._formulas.get(latex, display)
        colour = (
            char.foreground().color()
            if char.hasProperty(QTextFormat.Property.ForegroundBrush)
            else self._colour()
        )
        if not isinstance(result, Typeset):
            painter.save()
            painter.setFont(self._source_font(char.font()))
            painter.setPen(colour)
            # On the text's baseline, as the words around it.
            painter.drawText(QPointF(rect.left() + 2, _baseline(document, position, rect)), latex)
            painter.restore()
            return
        device = _device(document)
        scale = self._scale(char.font(), display, device)
        top = _baseline(document, position, rect) - result.ascent * scale
        target = QRectF(
            rect.left(), top, result.width * scale, (result.ascent + result.descent) * scale
        )
        self._draw(painter, result, target, colour)

    # --- drawing -----------------------------------------------------------------------

    def _draw(self, painter: QPainter, result: Typeset, target: QRectF, colour: QColor) -> None:
        from PySide6.QtSvg import QSvgRenderer

        device = painter.device()
        if device is not None and device.devType() in (PRINTER, PICTURE):
            # A PDF: the vectors themselves, in the text's colour.
            renderer = QSvgRenderer(QByteArray(_coloured(result.svg, colour)))
            renderer.render(painter, target)
            return
        ratio = painter.device().devicePixelRatioF() if device is not None else 1.0
        key = (
            result.svg,
            round(target.width() * ratio),
            round(target.height() * ratio),
            colour.rgba(),
        )
        image = self._images.get(key)
        if image is None:
            if len(self._images) > 2000:
                self._images.clear()
            image = QImage(key[1] or 1, key[2] or 1, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            image_painter = QPainter(image)
            image_painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            QSvgRenderer(QByteArray(_coloured(result.svg, colour))).render(
                image_painter, QRectF(0, 0, key[1], key[2])
            )
            image_painter.end()
            image.setDevicePixelRatio(ratio)
            self._images[key] = image
        painter.drawImage(QPointF(target.left(), target.top()), image)

    @staticmethod
    def _scale(font: QFont, display: bool, device: QPaintDevice | None) -> float:
        """From REFERENCE_SIZE to the units the document is laid out in (the screen's
        pixels, or a printer's dots), with the formula's x-height the text's."""
        x_height = _metrics(font, device).xHeight()
        return x_height * (DISPLAY_SCALE if display else 1.0) / (MATH_X_HEIGHT * REFERENCE_SIZE)

    @staticmethod
    def _source_font(font: QFont) -> QFont:
        source = QFont(font)
        source.setFamilies(["monospace"])
        source.setStyleHint(QFont.StyleHint.Monospace)
        source.setFixedPitch(True)
        return source


def _metrics(font: QFont, device: QPaintDevice | None) -> QFontMetricsF:
    return QFontMetricsF(font, device) if device is not None else QFontMetricsF(font)


def _device(document: QTextDocument) -> QPaintDevice | None:
    layout = document.documentLayout()
    return layout.paintDevice() if layout is not None else None


def _baseline(document: QTextDocument, position: int, rect: QRectF | QRect) -> float:
    """Where the text's baseline is, in the coordinates of `rect` (an object's box as Qt
    draws it). Qt draws a middle-aligned object centred in its line, whatever its own
    ascent and descent (the line's may be another formula's): from the line's metrics,
    the baseline is (ascent - descent + the box's height) / 2 below the box's top."""
    block = document.findBlock(position)
    layout = block.layout()
    line = layout.lineForTextPosition(position - block.position()) if layout else None
    if line is None or not line.isValid():
        return rect.top() + rect.height() / 2
    return rect.top() + (line.ascent() - line.descent() + rect.height()) / 2


def _padded(
    ascent: float, descent: float, font: QFont, device: QPaintDevice | None
) -> tuple[float, float]:
    """(ascent, descent) of a box that makes room for the formula in its line: Qt gives a
    middle-aligned object of height h an ascent of (h + x-height / 2) / 2 and a descent of
    (h - x-height / 2) / 2, which must hold the formula's ascent and descent."""
    half_x = _metrics(font, device).xHeight() / 2
    bottom = max(descent, ascent - half_x)
    return bottom + half_x, bottom


def _coloured(svg: bytes, colour: QColor) -> bytes:
    return svg.replace(b'fill="black"', b'fill="' + colour.name().encode() + b'"').replace(
        b'stroke="black"', b'stroke="' + colour.name().encode() + b'"'
    )


def math_format(latex: str, display: bool, base: QTextCharFormat | None = None) -> QTextCharFormat:
    """The format of a formula's character."""
    fmt = QTextCharFormat(base) if base is not None else QTextCharFormat()
    fmt.setObjectType(MATH_OBJECT)
    fmt.setProperty(LATEX, latex)
    fmt.setProperty(DISPLAY, display)
    fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
    return fmt


_NOT_TEXT = str.maketrans({"\ufdd0": None, "\ufdd1": None, "\ufffc": None})


def text_with_sources(cursor: QTextCursor) -> str:
    """The text selected at `cursor`, as plain text, each formula written as its LaTeX
    source between the delimiters a model would use ($…$ inline, $$…$$ on its own line)."""
    document = cursor.document()
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    lines: list[str] = []
    block = document.findBlock(start)
    while block.isValid() and block.position() <= end:
        parts: list[str] = []
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            iterator += 1
            low = max(start, fragment.position())
            high = min(end, fragment.position() + fragment.length())
            if low >= high:
                continue
            fmt = fragment.charFormat()
            if fmt.objectType() == MATH_OBJECT:
                latex = fmt.stringProperty(LATEX)
                mark = "$$" if fmt.boolProperty(DISPLAY) else "$"
                parts.append(f"{mark}{latex}{mark}" * (high - low))
            else:
                text = fragment.text()[low - fragment.position() : high - fragment.position()]
                # Line breaks as newlines; no frame marks, no pictures (attachment previews).
                parts.append(text.replace("\u2028", "\n").translate(_NOT_TEXT))
        lines.append("".join(parts))
        block = block.next()
    # Frames and tables leave empty blocks (placeholders, cell ends): a blank line at most.
    return "\n".join(lines).strip("\n").replace("\n\n\n", "\n\n")
