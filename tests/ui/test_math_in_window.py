"""Formulas in the real window, as models write them: typeset, in place, copied as LaTeX."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetricsF, QGuiApplication, QTextCursor

from desktop_chat.render.math import DISPLAY, LATEX, MATH_OBJECT
from desktop_chat.render.typeset import Typeset
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply
from tests.helpers.views import fragments
from tests.ui.test_faults import ask

FORMS = {
    "inline $…$": ("The area is $\\pi r^2$ exactly.", "\\pi r^2", False),
    "inline \\(…\\)": ("The area is \\(\\pi r^2\\) exactly.", "\\pi r^2", False),
    "display $$…$$": ("The sum:\n\n$$\n\\sum_{i=1}^{n} i\n$$\n\nDone.", "\\sum_{i=1}^{n} i", True),
    "display \\[…\\]": (
        "The sum:\n\n\\[\n\\sum_{i=1}^{n} i\n\\]\n\nDone.",
        "\\sum_{i=1}^{n} i",
        True,
    ),
}


def formulas_shown(view) -> list[tuple[str, bool, int]]:  # type: ignore[no-untyped-def]
    """(LaTeX, display, document position) of every formula the view shows."""
    found = []
    for fragment in fragments(view.document()):
        fmt = fragment.charFormat()
        if fmt.objectType() == MATH_OBJECT:
            found.append(
                (fmt.stringProperty(LATEX), fmt.boolProperty(DISPLAY), fragment.position())
            )
    return found


def box(view, position: int):  # type: ignore[no-untyped-def]
    """Where the character at `position` is drawn, in the viewport."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    left = view.cursorRect(cursor)
    cursor.setPosition(position + 1)
    right = view.cursorRect(cursor)
    return left.united(right)


def source_width(view, latex: str) -> float:
    """How wide the formula is while it shows as its source (monospace)."""
    font = view.document().defaultFont()
    font.setFamilies(["monospace"])
    return QFontMetricsF(font, view.viewport()).horizontalAdvance(latex) + 4


def ink(view, rect) -> int:  # type: ignore[no-untyped-def]
    """How many pixels in `rect` of the viewport are darker than the page."""
    picture = view.viewport().grab(rect).toImage()
    page = view.palette().color(view.backgroundRole()).lightness()
    return sum(
        1
        for y in range(picture.height())
        for x in range(picture.width())
        if QColor(picture.pixel(x, y)).lightness() < page - 60
    )


@pytest.mark.parametrize("form", list(FORMS))
def test_each_way_a_model_writes_math_is_typeset_in_the_window(
    qtbot, launch, openai_server: FakeOpenAIServer, form: str
) -> None:
    text, latex, display = FORMS[form]
    openai_server.enqueue(ScriptedReply(text=text))
    chat = launch()
    ask(qtbot, chat, "A formula, please")
    view = chat.window.panel.message_view
    qtbot.waitUntil(lambda: [(la, di) for la, di, _ in formulas_shown(view)] == [(latex, display)])
    qtbot.waitUntil(lambda: isinstance(view.formulas.get(latex, display), Typeset), timeout=20_000)
    [(_, _, position)] = formulas_shown(view)
    # Laid out as the typeset formula, not as its source, and drawn.
    qtbot.waitUntil(lambda: abs(box(view, position).width() - source_width(view, latex)) > 3)
    rect = box(view, position)
    assert ink(view, rect) > 20
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    if display:  # a line of its own, centred
        assert cursor.block().text() == "\ufffc"
        assert abs(rect.center().x() - view.viewport().width() / 2) < view.viewport().width() / 8
    else:  # within its sentence
        assert "exactly" in cursor.block().text()
    # Copying the message's text gives the LaTeX back, as the model wrote it around it.
    view.selectAll()
    view.copy()
    copied = QGuiApplication.clipboard().text()
    assert ("$$" if display else "$") + latex in copied
    assert "\ufffc" not in copied


def test_prices_are_not_math_and_a_formula_shows_once_it_is_closed(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    openai_server.enqueue(
        ScriptedReply(
            text="It costs $5 and $10. Then $a^2 + b$ holds.", chunk_chars=4, hold_after_chunks=8
        )
    )
    chat = launch()
    edit = chat.window.panel.composer.edit
    qtbot.keyClicks(edit, "Prices?")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    view = chat.window.panel.message_view
    # Mid-stream, within an unclosed formula: its source as typed, nothing typeset.
    qtbot.waitUntil(lambda: "Then $a^2 +" in view.toPlainText())
    assert formulas_shown(view) == []
    assert "$5 and $10" in view.toPlainText()
    openai_server.release()
    qtbot.waitUntil(lambda: [la for la, _, _ in formulas_shown(view)] == ["a^2 + b"])
    assert "$5 and $10" in view.toPlainText()


def test_a_formula_that_cannot_be_typeset_shows_as_its_source(
    qtbot, launch, openai_server: FakeOpenAIServer
) -> None:
    openai_server.enqueue(ScriptedReply(text="Broken: $x^$ and fine: $y^2$."))
    chat = launch()
    ask(qtbot, chat, "Broken math?")
    view = chat.window.panel.message_view
    qtbot.waitUntil(lambda: len(formulas_shown(view)) == 2)
    qtbot.waitUntil(lambda: isinstance(view.formulas.get("y^2", False), Typeset), timeout=20_000)
    qtbot.waitUntil(lambda: view.formulas.get("x^", False) is not None)
    assert not isinstance(view.formulas.get("x^", False), Typeset)
    [(_, _, broken), _] = formulas_shown(view)
    assert abs(box(view, broken).width() - source_width(view, "x^")) <= 1
    assert chat.window.panel.notices.keys() == []  # no error to the user: just the source


def _ink_rows(view, picture, position: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(top, bottom) rows of the ink of the character at `position`."""
    rect = box(view, position)
    line = range(max(0, rect.top()), min(picture.height(), rect.bottom() + 1))
    rows = [
        y
        for x in range(rect.left() + 1, rect.right())
        for y in line
        if QColor(picture.pixel(x, y)).lightness() < 140
    ]
    return min(rows), max(rows)


@pytest.mark.parametrize("taller", ["", " and $\\frac{1}{2}$"])
def test_an_inline_formula_sits_on_the_baseline_at_the_size_of_the_text(qtbot, taller) -> None:
    """An x typeset beside a written x: same baseline, same x-height (within a pixel), in
    a line of text alone and in one a fraction makes taller."""
    from desktop_chat.domain import Conversation, Message, Role
    from desktop_chat.ui.conversation.message_view import MessageView

    view = MessageView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show_conversation(
        Conversation(messages=[Message(role=Role.ASSISTANT, content=f"Take x or $x${taller}.")])
    )
    view.show()
    view.finish_rendering()
    qtbot.waitExposed(view)
    picture = view.viewport().grab().toImage()
    written = view.document().find("x").selectionStart()
    formula = formulas_shown(view)[0][2]
    text_top, text_bottom = _ink_rows(view, picture, written)
    math_top, math_bottom = _ink_rows(view, picture, formula)
    assert abs(math_bottom - text_bottom) <= 1, "on the baseline"
    assert abs((math_bottom - math_top) - (text_bottom - text_top)) <= 1, "the text's x-height"
