"""The app's icons: Lucide's outline set (ISC licence, resources/icons/lucide/LICENSE), drawn
in the palette's colours so they follow the light and dark themes, sharp at any device pixel
ratio, with no icon theme or emoji font needed on the system.

Each SVG draws with `currentColor`; it is given the widget's text colour when rendered. A
button made `themed` gets its icon again when its palette (the theme) changes.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QEvent, QFile, QIODevice, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QToolButton, QWidget

from .. import design

PREFIX = ":/desktop-chat/icons/"
DISABLED_ALPHA = 0.38


@cache
def _svg(name: str) -> str:
    from .. import resources_rc  # noqa: F401  (registers the icons, if not done yet)

    file = QFile(f"{PREFIX}{name}.svg")
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"no icon named {name!r}")
    try:
        return bytes(file.readAll().data()).decode("utf-8")
    finally:
        file.close()


def image(name: str, colour: QColor, size: int = design.ICON_SMALL, ratio: float = 1.0) -> QImage:
    """The icon `name` drawn in `colour`, `size` logical pixels square at `ratio`."""
    from PySide6.QtSvg import QSvgRenderer

    svg = _svg(name).replace("currentColor", colour.name())
    if colour.alphaF() < 1.0:  # an SVG colour has no alpha: the whole drawing fades
        svg = svg.replace("<svg", f'<svg opacity="{colour.alphaF():.2f}"', 1)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixels = max(1, round(size * ratio))
    picture = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    picture.fill(Qt.GlobalColor.transparent)
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    picture.setDevicePixelRatio(ratio)
    return picture


def icon(name: str, colour: QColor, size: int = design.ICON_SMALL, ratio: float = 1.0) -> QIcon:
    """An icon for buttons: `colour` when enabled, faded when disabled. Cached: a theme
    has a handful of colours, and buttons ask again each time they are shown."""
    return _icon(name, colour.rgba(), size, ratio)


@cache
def _icon(name: str, rgba: int, size: int, ratio: float) -> QIcon:
    colour = QColor.fromRgba(rgba)
    result = QIcon()
    for mode, alpha in ((QIcon.Mode.Normal, 1.0), (QIcon.Mode.Disabled, DISABLED_ALPHA)):
        faded = QColor(colour)
        faded.setAlphaF(alpha)
        result.addPixmap(QPixmap.fromImage(image(name, faded, size, ratio)), mode)
    return result


def paperclip(color: QColor, size: int = 20, ratio: float = 1.0) -> QIcon:
    """A paperclip, for Attach."""
    return icon("paperclip", color, size, ratio)


def document(color: QColor, size: int = 16, ratio: float = 1.0) -> QImage:
    """A page with lines of text, for an attached file (and the system prompt)."""
    return image("file-text", color, size, ratio)


class _Follower(QObject):
    """Gives a themed button its icon again when its palette or screen changes."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Paint:
            outlined_box = watched.property("outlined") and isinstance(watched, QWidget)
            if outlined_box and not isinstance(watched, QLineEdit):  # painted, then outlined
                _paint_outlined(watched, event)  # type: ignore[arg-type]
                return True
            return False
        if kind not in (QEvent.Type.PaletteChange, QEvent.Type.Show):
            return False
        if isinstance(watched, QAbstractButton):
            _paint(watched)
        if kind == QEvent.Type.PaletteChange and watched.property("outlined"):
            outlined(watched)  # type: ignore[arg-type]
        action = getattr(watched, LEAD_ACTION, None)
        if isinstance(watched, QLineEdit) and action is not None:
            colour = watched.palette().color(QPalette.ColorRole.PlaceholderText)
            ratio = watched.devicePixelRatioF()
            name = str(watched.property("leadIcon"))
            action.setIcon(icon(name, colour, design.ICON_SMALL, ratio))
        return False


_FOLLOWER: _Follower | None = None


def themed(
    button: QAbstractButton,
    name: str,
    size: int = design.ICON_SMALL,
    role: QPalette.ColorRole = QPalette.ColorRole.ButtonText,
) -> None:
    """Give `button` the icon `name` in its palette's `role` colour, now and after every
    theme change."""
    global _FOLLOWER
    if _FOLLOWER is None:
        _FOLLOWER = _Follower()
    button.setProperty("iconName", name)
    button.setProperty("iconRole", int(role.value))
    button.setIconSize(QSize(size, size))
    _paint(button)
    button.installEventFilter(_FOLLOWER)


def _paint(button: QWidget) -> None:
    name = button.property("iconName")
    if not isinstance(button, QAbstractButton) or not name:
        return
    role = QPalette.ColorRole(int(button.property("iconRole")))
    size = button.iconSize().width()
    button.setIcon(icon(name, button.palette().color(role), size, button.devicePixelRatioF()))


def with_named_clear_button(field: QLineEdit, name: str) -> None:
    """Turn on the field's clear button and give it a name: Qt's has none, so a screen
    reader would announce a nameless button."""
    field.setClearButtonEnabled(True)
    for button in field.findChildren(QToolButton):
        button.setAccessibleName(name)
        button.setToolTip(name)


def lead_with_icon(field: QLineEdit, name: str) -> None:
    """An icon at the start of a text field (a magnifier in a search field), in the
    placeholder's colour, following the theme."""
    colour = field.palette().color(QPalette.ColorRole.PlaceholderText)
    action = field.addAction(
        icon(name, colour, design.ICON_SMALL, field.devicePixelRatioF()),
        QLineEdit.ActionPosition.LeadingPosition,
    )
    field.setProperty("leadIcon", name)
    # Qt shows the action as a nameless button: it only marks the field, so a screen
    # reader should not stop on it.
    for button in field.findChildren(QToolButton):
        if not button.accessibleName():
            button.setAccessibleName(field.accessibleName())
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    global _FOLLOWER
    if _FOLLOWER is None:
        _FOLLOWER = _Follower()
    field.installEventFilter(_FOLLOWER)
    setattr(field, LEAD_ACTION, action)  # on the field: it goes when the field goes


LEAD_ACTION = "_desktop_chat_lead_action"


_FIELD_STYLE = (
    "QLineEdit {{ border: 1px solid {outline}; border-radius: 6px;"
    " padding: 3px 6px; background: palette(base); }}"
    "QLineEdit:focus {{ border: 1.5px solid palette(highlight); }}"
)


def outline_colour() -> QColor:
    from PySide6.QtWidgets import QApplication

    from .. import design as tokens

    # The application's palette, not a widget's: a style sheet set from this colour
    # changes the widget's own palette, which must not change the colour again.
    dark = QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return QColor((tokens.DARK if dark else tokens.LIGHT).outline)


def outlined(field: QWidget) -> None:
    """Give a text field or a combo box the design's outline (≥ 3:1 in both themes):
    Fusion draws their frames a shade darker than the window, which all but vanishes on a
    dark one. A field gets a style sheet; a combo box (whose arrow a style sheet would take
    away) keeps its style's drawing, with the outline painted over it."""
    if isinstance(field, QLineEdit):
        style = _FIELD_STYLE.format(outline=outline_colour().name())
        if field.styleSheet() != style:  # setting it again would polish (and signal) again
            field.setStyleSheet(style)
    if not field.property("outlined"):
        global _FOLLOWER
        if _FOLLOWER is None:
            _FOLLOWER = _Follower()
        field.setProperty("outlined", True)
        field.installEventFilter(_FOLLOWER)


def _paint_outlined(widget: QWidget, event: QEvent) -> None:
    """The widget's own painting, then its outline on top."""
    type(widget).paintEvent(widget, event)  # type: ignore[arg-type]
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    focused = widget.hasFocus() or any(c.hasFocus() for c in widget.findChildren(QWidget))
    colour = widget.palette().color(QPalette.ColorRole.Highlight) if focused else None
    painter.setPen(QPen(colour or outline_colour(), 1.5 if focused else 1.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(QRectF(widget.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
    painter.end()
