"""The few icons the app draws itself, in the palette's text colour so that they follow
the light and dark themes (and need no icon theme or emoji font on the system)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPainterPath, QPen, QPixmap

GRID = 24.0
"""The icons are drawn on a 24-unit grid and scaled."""


def paperclip(color: QColor, size: int = 20, ratio: float = 1.0) -> QIcon:
    """A paperclip, for Attach."""
    path = QPainterPath(QPointF(15.5, 6.0))
    path.lineTo(15.5, 16.0)
    path.arcTo(QRectF(8.5, 12.5, 7.0, 7.0), 0, -180)
    path.lineTo(8.5, 5.5)
    path.arcTo(QRectF(8.5, 3.0, 5.0, 5.0), 180, -180)
    path.lineTo(13.5, 15.0)
    path.arcTo(QRectF(10.5, 13.5, 3.0, 3.0), 0, -180)
    path.lineTo(10.5, 7.0)
    image = _draw(path, color, size, ratio, rotate=40.0)
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return QIcon(pixmap)


def document(color: QColor, size: int = 16, ratio: float = 1.0) -> QImage:
    """A page with a folded corner and lines of text, for an attached file."""
    path = QPainterPath(QPointF(6.0, 3.0))
    path.lineTo(14.0, 3.0)
    path.lineTo(18.5, 7.5)
    path.lineTo(18.5, 21.0)
    path.lineTo(6.0, 21.0)
    path.closeSubpath()
    path.moveTo(14.0, 3.0)
    path.lineTo(14.0, 7.5)
    path.lineTo(18.5, 7.5)
    for y, right in ((11.5, 15.5), (14.5, 15.5), (17.5, 13.0)):
        path.moveTo(9.0, y)
        path.lineTo(right, y)
    image = _draw(path, color, size, ratio)
    image.setDevicePixelRatio(ratio)
    return image


def _draw(
    path: QPainterPath, color: QColor, size: int, ratio: float, rotate: float = 0.0
) -> QImage:
    pixels = max(1, round(size * ratio))
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(pixels / GRID, pixels / GRID)
    if rotate:
        painter.translate(GRID / 2, GRID / 2)
        painter.rotate(rotate)
        painter.translate(-GRID / 2, -GRID / 2)
    pen = QPen(color, 1.6)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.drawPath(path)
    painter.end()
    return image
