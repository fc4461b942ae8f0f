"""What a rendered reply looks like: colours and fonts for one theme, from the design tokens
(desktop_chat/design.py) and the palette in use."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette

from .. import design


@dataclass(frozen=True)
class TextStyle:
    font: QFont
    """The body text's font (the document's default font)."""
    colours: design.Colours
    dark: bool
    quiet: bool = False
    """All text muted and at this style's (smaller) size: a reasoning model's thoughts."""

    @classmethod
    def for_palette(cls, palette: QPalette, font: QFont) -> TextStyle:
        """The design's colours for the palette's brightness, with the palette's own text
        colour (a desktop's theme may differ a little from ours)."""
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        colours = design.DARK if dark else design.LIGHT
        text = palette.color(QPalette.ColorRole.Text).name()
        return cls(font=QFont(font), colours=_with_text(colours, text), dark=dark)

    @classmethod
    def for_print(cls, font: QFont) -> TextStyle:
        """Black on white, for paper."""
        return cls(font=QFont(font), colours=_with_text(design.LIGHT, "#000000"), dark=False)

    def for_thoughts(self) -> TextStyle:
        """This style, quieter: muted text, a step smaller (a reply's thoughts)."""
        from dataclasses import replace

        font = QFont(self.font)
        font.setPointSizeF(self.points * design.THOUGHTS_SCALE)
        return replace(self, font=font, quiet=True)

    def colour(self, name: str) -> QColor:
        return QColor(getattr(self.colours, name))

    @property
    def error(self) -> QColor:
        return QColor(design.ERROR_DARK if self.dark else design.ERROR_LIGHT)

    @property
    def points(self) -> float:
        size = self.font.pointSizeF()
        return size if size > 0 else self.font.pixelSize() * 72 / 96


def _with_text(colours: design.Colours, text: str) -> design.Colours:
    from dataclasses import replace

    return replace(colours, text=text)
