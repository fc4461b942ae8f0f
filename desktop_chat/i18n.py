"""Words for the user from the layers that do not use Qt: network, storage, settings,
import and export.

Those layers write their messages in English through `translate(context, source)`, which
`pyside6-lupdate` collects into resources/translations/ beside the interface's own `tr()`
calls. The interface hands Qt's translation function to `use()` (ui/language.py); without
it (the command line, the tests of those layers) the English source is used.

Placeholders are named (`{server}`) and filled with `str.format` after translating, so a
translation may put them in any order. A count gets two sources, one for 1 and one for the
rest (English and Spanish need no more): pyside6-lupdate does not collect Qt's plural forms
(`%n`) from Python.
Numbers go through `number()`, which the interface sets to its locale's way of writing them.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str, str, str | None], str]
"""(context, source, disambiguation) → the text in the interface's language."""


def english(context: str, source: str, disambiguation: str | None = None) -> str:
    """The source text itself."""
    return source


def english_number(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


_translator: Translator = english
Numbers = Callable[[float, int], str]
"""(value, decimals) → the value written as the interface's locale writes numbers."""

_number: Numbers = english_number


def translate(context: str, source: str, disambiguation: str | None = None) -> str:
    """`source` in the interface's language (English until a translator is in use).
    `disambiguation` tells two identical sources apart, and guides the translator."""
    return _translator(context, source, disambiguation)


def number(value: float, decimals: int = 0) -> str:
    """`value` written the way the interface's locale writes numbers ("12,345", "12.345",
    "3.5", "3,5"), with `decimals` digits after the point."""
    return _number(value, decimals)


def use(translator: Translator | None, numbers: Numbers | None = None) -> None:
    """Translate with `translator` and write numbers with `numbers` from now on; None goes
    back to English."""
    global _translator, _number
    _translator = translator or english
    _number = numbers or english_number
