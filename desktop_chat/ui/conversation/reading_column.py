"""The conversation as a centred reading column, with the questions as rounded bubbles.

Lines as wide as the window are hard to read: the document's root frame gets side margins
that keep the text within `design.READING_COLUMN_PX` (full width, less a small margin, in a
narrow window). A question's frame is marked `BUBBLE`: as wide as its words, at least
`design.BUBBLE_INSET` in from the column's start, on the end side (the right, or the left in a
right-to-left layout), and its rounded background is painted here, under the text — Qt
draws frame backgrounds square.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QTextFormat, QTextFrame, QTextFrameFormat
from PySide6.QtWidgets import QStyle, QTextEdit

from ... import design

BUBBLE = int(QTextFormat.Property.UserProperty) + 40
"""On a question's frame: drawn as a bubble on the end side of the column."""
BUBBLE_WIDTH = int(QTextFormat.Property.UserProperty) + 41
"""On a question's frame: the width its text needs (px): a short question's bubble is
only as wide as its words."""


class ReadingColumn(QObject):
    def __init__(self, view: QTextEdit, colour: object) -> None:
        """`colour`: gives the bubbles' colour for the current theme."""
        super().__init__(view)
        self._view = view
        self._colour = colour
        self._width = -1
        view.document().setDocumentMargin(0)
        view.installEventFilter(self)  # its resizes: the column
        self._painting = False
        """The viewport's paints (the bubbles) are watched from the view's first show: the
        first `viewport()` call costs PySide ~10 ms, which start-up need not pay."""

    def column(self) -> tuple[float, float]:
        """(left margin, text width) of the column in the view's current width. Measured as
        if the scroll bar were always there: its coming and going (a reply growing past
        the window) then moves nothing and lays nothing out again."""
        view = self._view
        bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)
        width = view.width() - 2 * view.frameWidth() - bar
        text = min(design.READING_COLUMN_PX, max(0, width - 2 * design.NARROW_MARGIN_PX))
        return (width - text) / 2, text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and watched is self._view and not self._painting:
            self._painting = True
            self._view.viewport().installEventFilter(self)
        if event.type() == QEvent.Type.Resize and watched is self._view:
            self.fit()
        elif event.type() == QEvent.Type.Paint and watched is not self._view:
            self._paint_bubbles()
        return False

    def fit(self, *, again: bool = False) -> None:
        """Centre the column in the view's width (`again`: even if it did not change)."""
        width = self._view.width()
        if width == self._width and not again:
            return
        self._width = width
        side, _text = self.column()
        root = self._view.document().rootFrame()
        fmt = root.frameFormat()
        fmt.setLeftMargin(side)
        fmt.setRightMargin(side)
        fmt.setTopMargin(design.SPACE[3])
        fmt.setBottomMargin(design.SPACE[3])
        root.setFrameFormat(fmt)
        for frame in root.childFrames():  # short questions' bubbles follow the width
            if frame.frameFormat().boolProperty(BUBBLE):
                self._inset(frame)

    def shape(self, fmt: QTextFrameFormat, text: str = "", *, wide: bool = False) -> None:
        """Make `fmt` a question's bubble on the end side of the column, as wide as its
        `text` needs (`wide`: the whole width it may take, for pictures and file cards).
        Done on the format before the frame is inserted: no layout twice."""
        fmt.setProperty(BUBBLE, True)
        if wide or not text:
            needed = float(design.READING_COLUMN_PX)
        else:
            metrics = self._view.fontMetrics()
            lines = text.splitlines()[:200] or [""]
            widest = max(metrics.horizontalAdvance(line) for line in lines)
            needed = widest + 2 * fmt.padding() + 2 * metrics.averageCharWidth()
        fmt.setProperty(BUBBLE_WIDTH, needed)
        self._margins(fmt)

    def _inset(self, frame: QTextFrame) -> None:
        """A bubble's margins again, for the column's new width. (Set only when they change:
        each change lays the question out again.)"""
        fmt = frame.frameFormat()
        if self._margins(fmt):
            frame.setFrameFormat(fmt)

    def _margins(self, fmt: QTextFrameFormat) -> bool:
        """Set the bubble's margin on the start side: at least BUBBLE_INSET, more when its
        text is short. Whether they changed."""
        _side, text_width = self.column()
        needed = fmt.doubleProperty(BUBBLE_WIDTH) or text_width
        inset = max(float(design.BUBBLE_INSET), text_width - needed)
        end_is_left = self._view.layoutDirection() == Qt.LayoutDirection.RightToLeft
        left, right = (0.0, inset) if end_is_left else (inset, 0.0)
        if (fmt.leftMargin(), fmt.rightMargin()) == (left, right):
            return False
        fmt.setLeftMargin(left)
        fmt.setRightMargin(right)
        return True

    def _paint_bubbles(self) -> None:
        view = self._view
        layout = view.document().documentLayout()
        dx = view.horizontalScrollBar().value()
        dy = view.verticalScrollBar().value()
        visible = QRectF(view.viewport().rect()).translated(dx, dy)
        painter: QPainter | None = None
        colour = QColor(self._colour())  # type: ignore[operator]
        for frame in view.document().rootFrame().childFrames():
            if not frame.frameFormat().boolProperty(BUBBLE):
                continue
            box = layout.frameBoundingRect(frame)
            fmt = frame.frameFormat()
            box = box.adjusted(fmt.leftMargin(), fmt.topMargin(), -fmt.rightMargin(), 0)
            box.setBottom(box.bottom() - fmt.bottomMargin())
            if box.top() > visible.bottom():
                break  # frames come in order, top to bottom
            if not box.intersects(visible):
                continue
            if painter is None:
                painter = QPainter(view.viewport())
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
            radius = design.RADIUS_BUBBLE
            painter.drawRoundedRect(box.translated(-dx, -dy), radius, radius)
        if painter is not None:
            painter.end()
