"""LaTeX to SVG with ziamath (pure Python, its own math font): what a formula looks like,
at a reference size. No Qt here: the window runs this in a process of its own (see
`math.Formulas`), which need not load Qt to do it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

REFERENCE_SIZE = 100.0
"""The font size formulas are typeset at (pixels); drawing scales them."""
MATH_X_HEIGHT = 0.479
"""The x-height of ziamath's math font (STIX Two Math), as a fraction of its size: drawing
scales a formula so that its x-height is the text's (sans-serif fonts have larger ones)."""


@dataclass(frozen=True)
class Typeset:
    """A formula typeset at REFERENCE_SIZE: its SVG, and its box around the baseline."""

    svg: bytes
    width: float
    ascent: float
    descent: float


class Failed:
    """A formula that could not be typeset: shown as its source."""


FAILED = Failed()


def typeset(latex: str, display: bool) -> Typeset | Failed:
    """Typeset one formula (blocking: 5 to 25 ms). Never raises."""
    outcome = typeset_elsewhere(latex, display)
    if isinstance(outcome, Typeset):
        return outcome
    log.info("Formula shown as source (%s): %.80s", outcome, latex)
    return FAILED


def typeset_elsewhere(latex: str, display: bool) -> Typeset | str:
    """`typeset` for another process: the formula, or why it could not be typeset (the
    caller logs it; this process has no log)."""
    try:
        import warnings

        # ziamath loads its font with an importlib call that Python 3.11 calls deprecated.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="ziamath")
        import ziamath

        ziamath.config.svg2 = False  # plain paths: QtSvg draws no <symbol>/<use href>
        svg = ziamath.Latex(latex, size=REFERENCE_SIZE, inline=not display).svg()
        # The box drawn is the SVG's own (its viewBox, around the baseline at y = 0): the
        # size ziamath reports is a little smaller, which squeezed and raised formulas.
        view_box = svg.split('viewBox="', 1)[1].split('"', 1)[0]
        _left, top, width, height = (float(v) for v in view_box.split())
    except Exception as exc:  # ziamath raises many kinds of error on bad input
        return type(exc).__name__
    return Typeset(svg.encode(), width, -top, height + top)
