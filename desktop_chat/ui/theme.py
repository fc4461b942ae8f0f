"""Light and dark: as the desktop is (and as it changes, live), or as chosen in Settings.

Qt follows the system's colour scheme where the platform can tell it (Windows, macOS,
GNOME and KDE through the portal). Where it cannot, or when the user picks a scheme the
platform did not apply, the app uses the Fusion style with a palette of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyle

SYSTEM = "system"
THEMES = (SYSTEM, "light", "dark")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def dark_palette() -> QPalette:
    """Fusion's colours for a dark desktop, each text colour ≥ 4.5:1 on its background."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#1f2124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a",
        QPalette.ColorRole.AlternateBase: "#24262a",
        QPalette.ColorRole.ToolTipBase: "#2b2d31",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2b2d31",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Light: "#3a3d42",
        QPalette.ColorRole.Midlight: "#32353a",
        QPalette.ColorRole.Mid: "#2a2c30",
        QPalette.ColorRole.Dark: "#111214",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Highlight: "#3d6fb6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.LinkVisited: "#c58af9",
    }
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    disabled = QColor("#80868b")
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def light_palette(fusion: QStyle) -> QPalette:
    """Fusion's light colours, with the few that read poorly made darker: white on Qt's
    default selection blue is 3.7:1, grey placeholder text on white 4.0:1."""
    palette = fusion.standardPalette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#2a62a8"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#62666d"))
    palette.setColor(QPalette.ColorRole.Link, QColor("#0b57d0"))
    return palette


class Theme(QObject):
    """Applies a theme choice to the application, and follows the system when asked.
    Widgets follow through Qt's palette-change events.

    Nothing happens until the first `apply`: until then the platform's own style and
    palette are in use, which is what "system" gives wherever the platform follows its
    colour scheme itself. (Start-up applies "system" after the first paint: the check
    needs the `Qt` enums, ~20 ms to build, and the style's class, ~8 ms.)"""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self._app = app
        self._choice = SYSTEM
        self._original: tuple[str, QPalette] | None = None
        """The style's name and the palette before the first `apply`, for `restore`."""
        self._restored = False

    @property
    def applied(self) -> bool:
        return self._original is not None

    @property
    def choice(self) -> str:
        return self._choice

    def apply(self, choice: str) -> None:
        """Use `choice`: "system", "light" or "dark"."""
        from PySide6.QtCore import Qt

        if self._original is None:
            self._original = (self._app.style().name(), QPalette(self._app.palette()))
            QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_changed)
        self._choice = choice if choice in THEMES else SYSTEM
        hints = QGuiApplication.styleHints()
        scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(
            self._choice, Qt.ColorScheme.Unknown
        )
        hints.setColorScheme(scheme)
        want_dark = self._choice == "dark" or (
            self._choice == SYSTEM and hints.colorScheme() == Qt.ColorScheme.Dark
        )
        native = self._app.style().name().lower() != "fusion"
        if native and is_dark(self._app.palette()) == want_dark:
            return  # the platform's own style follows the scheme: keep it
        # Fusion (Linux without a desktop theme, offscreen), or a platform that did not
        # switch: our own palettes, whose text colours are checked for contrast.
        fusion = QStyleFactory.create("Fusion")
        self._app.setStyle(fusion)
        self._app.setPalette(dark_palette() if want_dark else light_palette(fusion))

    def restore(self) -> None:
        """Back to the style and palette the application started with (once)."""
        if self._restored or self._original is None:
            return
        self._restored = True
        QGuiApplication.styleHints().colorSchemeChanged.disconnect(self._on_system_changed)
        QGuiApplication.styleHints().unsetColorScheme()
        style, palette = self._original
        self._app.setStyle(style)
        self._app.setPalette(palette)

    def _on_system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice == SYSTEM:
            self.apply(SYSTEM)
