"""The look as numbers, in one place: spacing, radii, type and colours for light and dark
(see ../shared/DESIGN.md). Read by the message renderer, the exports and the window's style;
no literal of these belongs anywhere else. Plain data, no Qt."""

from __future__ import annotations

from dataclasses import dataclass

SPACE = (4, 8, 12, 16, 24, 32)
"""Every gap and padding is one of these (logical pixels)."""
RADIUS_CONTROL = 6
RADIUS_CARD = 10
"""Code blocks, cards, chips."""
RADIUS_BUBBLE = 16
"""The user's questions and the composer."""
READING_COLUMN_PX = 760
"""At most this much text across: about 46 to 48 em."""
NARROW_MARGIN_PX = 16
BUBBLE_INSET = 96
"""A question's bubble stands this far in from the column's start side (about 15 %)."""
TURN_GAP = 24
ACTIONS_GAP = 8

SIDEBAR_WIDTH = 260
SIDEBAR_MIN, SIDEBAR_MAX = 200, 420
SIDEBAR_ROW = 34
ICON_SMALL, ICON_LARGE = 16, 20

# Type, relative to the system's interface font.
CAPTION_SCALE = 0.86
"""Author lines, captions, usage."""
HEADING_SCALES = (1.25, 1.15, 1.05)
"""h1, h2, h3 of a reply; smaller headings are bold body text. Never bigger than the title."""
CODE_SCALE = 0.92
THOUGHTS_SCALE = 0.92
"""A reasoning model's thoughts: muted and a step smaller than its answer."""
LINE_HEIGHT = 1.5
"""Body text, as a multiple of the font's height."""
MIN_BODY_POINTS = 10.5


@dataclass(frozen=True)
class Colours:
    """One theme's colours, as #rrggbb. Each text colour reads ≥ 4.5:1 on its surfaces,
    each control outline ≥ 3:1 (tests/ui/test_theme.py checks)."""

    window: str
    sidebar: str
    bubble: str
    code: str
    """Code blocks and table headers."""
    separator: str
    """Decorative lines: table borders, rules, the bar of a quote."""
    outline: str
    """The outlines of fields and the composer card."""
    text: str
    muted: str
    accent: str
    """Selection, focus ring, links."""


LIGHT = Colours(
    window="#ffffff",
    sidebar="#f7f7f8",
    bubble="#f0f2f5",
    code="#f6f8fa",
    separator="#e3e5e8",
    outline="#878f99",
    text="#1f2328",
    muted="#59636e",
    accent="#2a63d4",
)
DARK = Colours(
    window="#1e1f22",
    sidebar="#17181a",
    bubble="#2b2d31",
    code="#16171a",
    separator="#3a3c42",
    outline="#6b7079",
    text="#e6e6e6",
    muted="#a0a4ab",
    accent="#6ea8fe",
)
ERROR_LIGHT, ERROR_DARK = "#b71c1c", "#ff8a80"
