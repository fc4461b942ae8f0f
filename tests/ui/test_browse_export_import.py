"""Search, find, export and import, driven from the window like a user would."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from tests.helpers.conversations import make_conversation, save_conversations
from tests.helpers.golden import golden_conversation
from tests.helpers.views import activate, open_file_dialog, show_conversation

CHATGPT = Path(__file__).resolve().parents[1] / "data" / "chatgpt" / "conversations.json"


def _seed(data_dir: Path) -> dict[str, str]:
    trip = make_conversation("Trip notes", turns=60, answer="Nothing special here")
    trip.messages[3].content = "The hidden gem is the azulejo museum."
    tiles = make_conversation("Azulejo tiles: a history", answer="Blue and white.")
    golden = golden_conversation()
    golden.pinned = False
    regex = make_conversation("Regex for ISO dates")
    save_conversations(data_dir, golden, tiles, trip, regex)
    return {
        "golden": golden.id,
        "tiles": tiles.id,
        "trip": trip.id,
        "gem": trip.messages[3].id,
        "regex": regex.id,
    }


def _search(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.sidebar.search.field)
    qtbot.keyClicks(window.sidebar.search.field, text)


def _rows(window) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    model = window.sidebar.search.model
    return [(model.row(r).title, model.row(r).message_id) for r in range(model.rowCount())]


def test_search_as_you_type_groups_by_conversation_and_opens_at_the_message(
    qtbot, launch, data_dir: Path
) -> None:
    ids = _seed(data_dir)
    chat = launch()
    window = chat.window
    _search(qtbot, window, "azulejo")
    qtbot.waitUntil(lambda: window.sidebar.search.model.conversation_count == 2)
    assert window.sidebar.conversation_list.isHidden() and window.sidebar.search.isVisible()
    assert window.sidebar.search.summary.text() == "2 conversations"
    rows = _rows(window)
    # The title match first; each conversation followed by its matching messages.
    assert rows[0] == ("Azulejo tiles: a history", "")
    trip = rows.index(("Trip notes", ""))
    assert rows[trip + 1] == ("Trip notes", ids["gem"])
    assert "azulejo" in window.sidebar.search.model.index(trip + 1, 0).data().lower()

    # Down into the results, down to the message, Enter: the chat opens there.
    qtbot.keyClick(window.sidebar.search.field, Qt.Key.Key_Down)
    view = window.sidebar.search.results
    view.setCurrentIndex(window.sidebar.search.model.index(trip + 1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.panel.message_view.conversation_id == ids["trip"])
    messages = window.panel.message_view
    qtbot.waitUntil(lambda: bool(messages.extraSelections()))
    highlighted = [s.cursor.selectedText() for s in messages.extraSelections()]
    assert any("azulejo museum" in text for text in highlighted)
    assert "azulejo" in [text.lower() for text in highlighted]  # the word itself, too
    # The old message (the 4th of 120) is on screen, not the newest ones.
    bar = messages.verticalScrollBar()
    assert bar.value() < bar.maximum() - messages.viewport().height()
    revealed = messages.extraSelections()[0]
    frame_top = messages.cursorRect(QTextCursor(revealed.cursor)).top()
    assert 0 <= frame_top < messages.viewport().height()

    # Escape goes back to the field, and again clears the search: the list returns.
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(window.sidebar.search.field, Qt.Key.Key_Escape)
    assert window.sidebar.search.field.text() == ""
    assert window.sidebar.conversation_list.isVisible() and window.sidebar.search.isHidden()


def test_titles_filter_at_once_and_a_query_with_no_match_says_so(
    qtbot, launch, data_dir: Path
) -> None:
    _seed(data_dir)
    chat = launch()
    window = chat.window
    _search(qtbot, window, "regex")
    qtbot.waitUntil(lambda: ("Regex for ISO dates", "") in _rows(window))
    window.sidebar.search.field.clear()
    _search(qtbot, window, "zanzibar")
    qtbot.waitUntil(lambda: window.sidebar.search.summary.text() == "Nothing found.")
    assert _rows(window) == []


def test_find_in_the_conversation_steps_through_every_match(qtbot, launch, data_dir: Path) -> None:
    ids = _seed(data_dir)
    chat = launch()
    window = chat.window
    show_conversation(qtbot, window, ids["golden"])
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = window.panel.find_bar.field
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    qtbot.keyClicks(field, "fibonacci")
    total = len(window.panel.message_view.extraSelections())
    assert total >= 3
    assert window.panel.find_bar.count.text() == f"1 of {total}"
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.panel.find_bar.count.text() == f"2 of {total}"
    qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.panel.find_bar.count.text() == f"{total} of {total}"  # wraps around
    qtbot.keyClicks(field, "zzz")
    assert window.panel.find_bar.count.text() == "No matches"
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert window.panel.find_bar.isHidden()
    assert window.panel.message_view.extraSelections() == []


def test_export_a_selection_from_the_list_with_progress(
    qtbot, launch, data_dir: Path, tmp_path: Path
) -> None:
    ids = _seed(data_dir)
    chat = launch()
    window = chat.window
    model, selection = (
        window.sidebar.conversation_model,
        window.sidebar.conversation_list.selectionModel(),
    )
    for key in ("golden", "tiles"):
        index = model.index(model.row_of(ids[key]), 0)
        selection.select(index, QItemSelectionModel.SelectionFlag.Select)
    window.sidebar.export_selected_action.trigger()
    dialog = window.library.export_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "Export 2 conversations"
    dialog.format.setCurrentIndex(dialog.format.findData("json"))
    dialog.destination.setText(str(tmp_path / "exported"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Exported 2 conversations" in dialog.status.text())
    assert dialog.progress.value() == 2 and dialog.progress.maximum() == 2
    written = sorted((tmp_path / "exported").iterdir())
    assert [json.loads(p.read_text())["id"] for p in written] == sorted(
        [ids["tiles"], ids["golden"]],
        key=lambda i: "Azulejo" if i == ids["tiles"] else "Fibonacci",
    )
    assert dialog.open_folder.isVisible()


def test_export_the_open_conversation_with_the_keyboard(
    qtbot, launch, data_dir: Path, tmp_path: Path
) -> None:
    ids = _seed(data_dir)
    chat = launch()
    window = chat.window
    show_conversation(qtbot, window, ids["golden"])
    activate(qtbot, window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(
        lambda: (
            window.library.export_dialog is not None and window.library.export_dialog.isVisible()
        )
    )
    dialog = window.library.export_dialog
    assert dialog.destination.text().endswith("Fibonacci fast versions notes.md")
    dialog.format.setCurrentIndex(dialog.format.findData("html"))
    assert dialog.destination.text().endswith("Fibonacci fast versions notes.html")
    target = tmp_path / "fib.html"
    dialog.destination.setText(str(target))
    qtbot.keyClick(dialog.destination, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: target.exists())
    assert "<h1>Fibonacci: &quot;fast&quot;" in target.read_text(encoding="utf-8")
    qtbot.waitUntil(lambda: "Exported 1 conversation to" in dialog.status.text())


def test_an_unsaved_chat_has_nothing_to_export(qtbot, launch) -> None:
    chat = launch()
    chat.window.export_action.trigger()
    assert chat.window.panel.notices.text_of("export") == "There is nothing to export yet."


def test_import_a_chatgpt_export_from_the_file_dialog_and_again(
    qtbot, launch, tmp_path: Path
) -> None:
    archive = tmp_path / "chatgpt.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(CHATGPT, "conversations.json")
    chat = launch()
    window = chat.window
    window.import_action.trigger()
    qtbot.waitUntil(lambda: open_file_dialog(window) is not None)
    dialog = open_file_dialog(window)
    dialog.selectFile(str(archive))
    dialog.accept()
    qtbot.waitUntil(
        lambda: "Imported 3 conversations" in (window.panel.notices.text_of("import") or "")
    )
    assert "from a ChatGPT export" in (window.panel.notices.text_of("import") or "")
    titles = [s.title for s in chat.service.summaries()]
    assert "Trip to Lisbon" in titles and "Plot a sine wave" in titles
    qtbot.waitUntil(
        lambda: window.sidebar.conversation_model.row_of(chat.service.summaries()[0].id) >= 0
    )
    lisbon = next(s.id for s in chat.service.summaries() if s.title == "Trip to Lisbon")
    show_conversation(qtbot, window, lisbon)
    shown = window.panel.message_view.toPlainText()
    # The picture not in the export is named in plain words, no Markdown marks around it.
    assert "[Image: file-Lisbon123, 1024×768]" in shown  # noqa: RUF001
    assert "*[Image" not in shown

    window.library.import_from(archive)
    qtbot.waitUntil(lambda: "already here" in (window.panel.notices.text_of("import") or ""))
    assert "Imported 0 conversations" in (window.panel.notices.text_of("import") or "")
    assert len(chat.service.summaries()) == 3


def test_an_import_never_takes_the_id_of_a_chat_open_but_not_saved(
    qtbot, launch, tmp_path: Path
) -> None:
    """Its file would be overwritten by that chat's first save."""
    from desktop_chat.domain import Conversation, Message, Role
    from desktop_chat.export import ExportFormat, render

    chat = launch()
    window = chat.window
    open_id = window.conversation_id  # the new, empty chat: in memory, not on disk yet
    imported = Conversation(
        id=open_id, title="Imported", messages=[Message(role=Role.USER, content="Imported text")]
    )
    source = tmp_path / "one.json"
    source.write_bytes(render(imported, ExportFormat.JSON))
    window.library.import_from(source)
    qtbot.waitUntil(lambda: "already here" in (window.panel.notices.text_of("import") or ""))
    assert chat.service.summaries() == []
    assert chat.service.conversation(open_id).is_empty


def test_a_foreign_file_is_refused_with_a_clear_message(qtbot, launch, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.json"
    bogus.write_text('{"notes": ["not a conversation"]}', encoding="utf-8")
    chat = launch()
    chat.window.library.import_from(bogus)
    qtbot.waitUntil(
        lambda: "neither a ChatGPT export" in (chat.window.panel.notices.text_of("import") or "")
    )
    assert chat.service.summaries() == []


def test_a_pdf_export_runs_beside_a_streaming_reply(
    qtbot, launch, data_dir: Path, tmp_path: Path, openai_server
) -> None:
    """Exports run off the store's thread; printing a PDF there is fine, and the reply
    that streams meanwhile is saved as usual."""
    ids = _seed(data_dir)
    openai_server.delay = 0.01
    chat = launch()
    window = chat.window
    qtbot.keyClicks(window.panel.composer.edit, "Tell me a long story")
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Return)
    window.library.export_conversations([ids["golden"], ids["tiles"], ids["trip"]])
    dialog = window.library.export_dialog
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    dialog.destination.setText(str(tmp_path / "pdfs"))
    dialog.start()
    qtbot.waitUntil(lambda: "Exported 3 conversations" in dialog.status.text(), timeout=20_000)
    assert all(p.read_bytes().startswith(b"%PDF-") for p in (tmp_path / "pdfs").iterdir())
    qtbot.waitUntil(lambda: not chat.service.is_streaming(window.conversation_id))


def test_the_command_line_and_the_dialog_offer_every_export_format_declared(
    qtbot, launch, data_dir: Path
) -> None:
    from desktop_chat.cli import parse_arguments
    from desktop_chat.export_formats import ExportFormat

    for fmt in ExportFormat:
        arguments = parse_arguments(["export", "--all", "--format", fmt.value, "--out", "x"])
        assert arguments.format == fmt.value
    conversation = make_conversation(title="Formats")
    save_conversations(data_dir, conversation)
    chat = launch()
    chat.window.library.export_conversations([conversation.id])
    dialog = chat.window.library.export_dialog
    assert dialog is not None
    offered = [
        (dialog.format.itemData(i), dialog.format.itemText(i)) for i in range(dialog.format.count())
    ]
    assert offered == [(fmt.value, fmt.label) for fmt in ExportFormat]
    assert ("json", "JSON (imports back into Desktop Chat)") in offered
    dialog.reject()
