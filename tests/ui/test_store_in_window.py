"""What the user sees of the store: notices, failed saves and retries, trash and undo."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desktop_chat.domain import MessageStatus
from desktop_chat.storage import SCHEMA_VERSION, encode
from tests.conftest import quit_app
from tests.helpers.async_helpers import run_async
from tests.helpers.conversations import make_conversation, save_conversations
from tests.helpers.disk_faults import disk_full_under
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply
from tests.helpers.views import listed_titles, open_file_dialog, show_conversation


def _send(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.panel.composer.edit, text)
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Return)


def _file(data_dir: Path, conversation_id: str) -> Path:
    return data_dir / "conversations" / f"{conversation_id}.json"


def test_unreadable_files_are_reported_once_with_their_names(qtbot, launch, data_dir: Path) -> None:
    save_conversations(data_dir, make_conversation(title="Fine"))
    (data_dir / "conversations" / "mangled.json").write_text("{not json", encoding="utf-8")
    first = launch()
    notice = first.window.panel.notices.text_of("quarantine")
    assert notice is not None
    assert "mangled.json" in notice
    assert str(data_dir / "quarantine") in notice
    assert listed_titles(first.window.sidebar.conversation_model) == ["Fine"]
    assert (data_dir / "quarantine" / "mangled.json").read_text() == "{not json"
    quit_app(qtbot, first)

    second = launch()
    assert second.window.panel.notices.text_of("quarantine") is None


@pytest.mark.expect_error_log
def test_a_full_disk_is_explained_nothing_is_lost_and_the_save_is_retried(
    qtbot, launch, data_dir: Path, event_loop, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = make_conversation(title="Holiday plans")
    save_conversations(data_dir, conversation)
    chat = launch(save_retry_delays=(0.05,))  # retry quickly in the test
    path = _file(data_dir, conversation.id)
    before = path.read_bytes()
    chat.window.open_conversation(conversation.id)
    qtbot.waitUntil(lambda: chat.window.conversation_id == conversation.id)
    qtbot.waitUntil(
        lambda: chat.window.panel.stack.currentWidget() is chat.window.panel.message_view
    )

    with disk_full_under(data_dir / "conversations") as attempts:
        _send(qtbot, chat.window, "Add a day in Lisbon")
        key = f"save:{conversation.id}"
        qtbot.waitUntil(lambda: chat.window.panel.notices.text_of(key) is not None)
        assert "the disk is full" in (chat.window.panel.notices.text_of(key) or "")
        qtbot.waitUntil(lambda: not chat.service.is_streaming(conversation.id))
        qtbot.waitUntil(lambda: len(attempts) >= 3)  # it keeps trying
        assert path.read_bytes() == before  # the old version is intact
        assert "Add a day in Lisbon" in chat.window.panel.message_view.toPlainText()

    # Space is back: the next retry saves everything and the notice goes away.
    qtbot.waitUntil(lambda: chat.window.panel.notices.text_of(key) is None)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["messages"][-2]["content"] == "Add a day in Lisbon"
    assert saved["messages"][-1]["status"] == "complete"
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors and all("the disk is full" in e for e in errors)


def test_a_streaming_reply_is_saved_as_partial_about_once_a_second(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path, monkeypatch
) -> None:
    words = " ".join(f"word{n}" for n in range(50))
    openai_server.enqueue(ScriptedReply(text=words, delay=0.05))  # 50 chunks over ~2.5 s
    chat = launch()
    real_replace = os.replace
    saves: list[str] = []

    def counting_replace(source, target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(target).startswith(str(data_dir / "conversations")):
            saves.append(Path(source).read_text(encoding="utf-8"))
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", counting_replace)
    _send(qtbot, chat.window, "Count slowly")
    conversation_id = chat.window.conversation_id
    qtbot.waitUntil(lambda: not chat.service.is_streaming(conversation_id), timeout=10_000)
    qtbot.waitUntil(lambda: json.loads(saves[-1])["messages"][-1]["status"] == "complete")

    partial = [
        s
        for s in saves
        if json.loads(s)["messages"][-1]["status"] == "partial"
        and json.loads(s)["messages"][-1]["content"]
    ]
    assert 1 <= len(partial) <= 4, f"{len(partial)} partial saves for a 2.5 s reply"
    assert len(saves) <= 6  # question, ≤ 4 partial, final: never once per token (50)


def test_a_conversation_from_a_newer_version_is_shown_read_only_and_untouched(
    qtbot, launch, data_dir: Path
) -> None:
    data = json.loads(encode(make_conversation(title="From a newer app")))
    data["schema"] = SCHEMA_VERSION + 1
    (data_dir / "conversations").mkdir(parents=True)
    path = data_dir / "conversations" / "newer.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = path.read_bytes()
    chat = launch()
    chat.window.open_conversation("newer")
    qtbot.waitUntil(
        lambda: chat.window.panel.stack.currentWidget() is chat.window.panel.message_view
    )
    assert "From a newer app" in chat.window.panel.message_view.toPlainText()
    assert chat.window.panel.notices.text_of("read-only:newer") is not None
    assert not chat.window.panel.composer.button.isEnabled()
    _send(qtbot, chat.window, "try anyway")
    assert chat.window.panel.composer.text() == "try anyway"
    quit_app(qtbot, chat)
    assert path.read_bytes() == before


def test_delete_moves_to_the_trash_and_undo_restores(qtbot, launch, data_dir: Path) -> None:
    keep, drop = make_conversation(title="Keep"), make_conversation(title="Drop")
    save_conversations(data_dir, keep, drop)
    chat = launch()
    window = chat.window
    model = window.sidebar.conversation_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Drop")
    window.sidebar.conversation_list.setFocus()
    window.sidebar.conversation_list.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(window.sidebar.conversation_list, Qt.Key.Key_Delete)

    qtbot.waitUntil(lambda: listed_titles(model) == ["Keep"])
    assert not _file(data_dir, drop.id).exists()
    assert len(list((data_dir / "trash").iterdir())) == 1
    notice = window.panel.notices.text_of("deleted")
    assert notice is not None and "Drop" in notice

    undo = next(b for b in window.panel.notices.findChildren(QPushButton) if b.text() == "Undo")
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sorted(listed_titles(model)) == ["Drop", "Keep"])
    assert _file(data_dir, drop.id).exists()
    assert not list((data_dir / "trash").iterdir())


def test_undoing_the_delete_of_the_open_chat_opens_it_again(qtbot, launch, data_dir: Path) -> None:
    keep, drop = make_conversation(title="Keep"), make_conversation(title="Drop")
    save_conversations(data_dir, keep, drop)
    chat = launch()
    window = chat.window
    show_conversation(qtbot, window, drop.id)
    window.library.delete(drop.id)
    qtbot.waitUntil(lambda: listed_titles(window.sidebar.conversation_model) == ["Keep"])
    assert window.conversation_id != drop.id
    undo = next(b for b in window.panel.notices.findChildren(QPushButton) if b.text() == "Undo")
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.conversation_id == drop.id)
    qtbot.waitUntil(lambda: window.panel.message_view.conversation_id == drop.id)
    assert sorted(listed_titles(window.sidebar.conversation_model)) == ["Drop", "Keep"]


def test_deleting_the_open_conversation_mid_reply_stops_it_and_opens_a_new_chat(
    qtbot, launch, openai_server: FakeOpenAIServer, data_dir: Path
) -> None:
    openai_server.enqueue(ScriptedReply(text="a b c d e f", hold_after_chunks=2))
    chat = launch()
    _send(qtbot, chat.window, "Going to delete this")
    conversation_id = chat.window.conversation_id
    reply = chat.service.conversation(conversation_id).messages[-1]
    qtbot.waitUntil(lambda: reply.content == "a b ")
    chat.window.library.delete(conversation_id)
    qtbot.waitUntil(lambda: listed_titles(chat.window.sidebar.conversation_model) == [])
    assert chat.window.conversation_id != conversation_id
    assert chat.window.panel.stack.currentWidget() is chat.window.panel.empty_state
    [trashed] = list((data_dir / "trash").iterdir())
    saved = json.loads(trashed.read_text(encoding="utf-8"))
    assert saved["messages"][-1]["content"] == "a b "
    assert saved["messages"][-1]["status"] == MessageStatus.PARTIAL.value
    assert not _file(data_dir, conversation_id).exists()


@pytest.fixture
def small_data_disk(data_dir: Path):  # type: ignore[no-untyped-def]
    """The data folder on a real filesystem of its own, small enough to fill. Requested
    before `launch`, so it is unmounted only after the app has quit."""
    from tests.helpers.disk_faults import small_disk

    with small_disk(data_dir) as disk:
        yield disk


def _unsaved_question(qtbot, chat, disk, text: str = "Add a day in Lisbon"):  # type: ignore[no-untyped-def]
    """A first exchange saved, then the disk full, then a question that cannot be saved."""
    _send(qtbot, chat.window, "Plan a trip")
    conversation_id = chat.window.conversation_id
    qtbot.waitUntil(lambda: not chat.service.is_streaming(conversation_id), timeout=10_000)
    qtbot.waitUntil(lambda: chat.service.summaries() != [])
    path = _file(chat.paths.data_dir, conversation_id)
    qtbot.waitUntil(path.exists)
    disk.fill()
    _send(qtbot, chat.window, text)
    qtbot.waitUntil(lambda: not chat.service.is_streaming(conversation_id), timeout=10_000)
    qtbot.waitUntil(lambda: bool(chat.service.unsaved()), timeout=10_000)
    assert text not in path.read_text(encoding="utf-8")
    return conversation_id, path


@pytest.mark.expect_error_log
def test_quitting_while_saves_fail_asks_and_nothing_is_lost(
    qtbot, small_data_disk, launch, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    window = chat.window
    _conversation_id, path = _unsaved_question(qtbot, chat, small_data_disk)

    window.close()  # Ctrl+Q or the window's close button
    dialog = window.quitting.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert window.isVisible()  # nothing closed behind the user's back
    assert "Plan a trip" in dialog.message.text()  # the chat's title
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "still cannot be saved" in dialog.problem.text())
    assert window.isVisible()

    small_data_disk.free()
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert "Add a day in Lisbon" in path.read_text(encoding="utf-8")


@pytest.mark.expect_error_log
def test_a_copy_of_what_cannot_be_saved_goes_to_a_folder_the_user_picks(
    qtbot, small_data_disk, launch, openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    from desktop_chat.importers import read_import

    chat = launch()
    window = chat.window
    conversation_id, _path = _unsaved_question(qtbot, chat, small_data_disk)
    window.close()
    dialog = window.quitting.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: open_file_dialog(window) is not None)
    chooser = open_file_dialog(window)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    chooser.selectFile(str(elsewhere))
    chooser.accept()
    qtbot.waitUntil(lambda: not window.isVisible())
    [copy] = list(elsewhere.glob("*.json"))
    [conversation] = read_import(copy).conversations
    assert conversation.id == conversation_id
    assert conversation.messages[-2].content == "Add a day in Lisbon"


@pytest.mark.expect_error_log
def test_a_logout_keeps_what_cannot_be_saved_elsewhere_and_the_next_start_restores_it(
    qtbot,
    small_data_disk,
    launch,
    openai_server: FakeOpenAIServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    chat = launch()
    conversation_id, path = _unsaved_question(qtbot, chat, small_data_disk)
    chat.window.close_without_asking()  # what SIGTERM does: there is no one to ask
    quit_app(qtbot, chat)
    kept = [r.getMessage() for r in caplog.records if "recovery" in r.getMessage()]
    assert kept and "will be offered at the next start" in kept[0]
    recovery = (
        [f for d in chat.paths.recovery_dirs for f in d.glob("*.json")]
        if any(d.exists() for d in chat.paths.recovery_dirs)
        else []
    )
    assert [f.stem for f in recovery] == [conversation_id]
    assert "Add a day in Lisbon" not in path.read_text(encoding="utf-8")

    small_data_disk.free()
    again = launch()
    window = again.window
    qtbot.waitUntil(lambda: window.panel.notices.text_of("recovery") is not None)
    assert "Plan a trip" in (window.panel.notices.text_of("recovery") or "")
    restore = next(
        b for b in window.panel.notices.findChildren(QPushButton) if b.text() == "Restore"
    )
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Restored 1 conversation" in (window.panel.notices.text_of("recovery") or "")
    )
    assert "Add a day in Lisbon" in path.read_text(encoding="utf-8")
    assert not [f for d in chat.paths.recovery_dirs if d.exists() for f in d.glob("*.json")]


@pytest.mark.expect_error_log
def test_a_chat_whose_changes_cannot_be_saved_is_not_deleted_with_them(
    qtbot, small_data_disk, launch, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    conversation_id, _path = _unsaved_question(qtbot, chat, small_data_disk)
    chat.window.library.delete(conversation_id)
    key = f"delete:{conversation_id}"
    qtbot.waitUntil(lambda: chat.window.panel.notices.text_of(key) is not None)
    assert "would lose them" in (chat.window.panel.notices.text_of(key) or "")
    assert chat.service.is_loaded(conversation_id)
    assert chat.service.conversation(conversation_id).messages[-2].content == "Add a day in Lisbon"
    small_data_disk.free()  # then the quit saves it


def test_a_read_only_data_folder_is_browsed_searched_and_exported_but_never_written(
    qtbot, launch, data_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.helpers.disk_faults import read_only_disk

    lisbon = make_conversation(title="Trip to Lisbon", answer="Take tram 28 to Alfama.")
    with read_only_disk(data_dir, lambda folder: save_conversations(folder, lisbon)):
        chat = launch(read_only=True)
        window = chat.window
        qtbot.waitUntil(
            lambda: listed_titles(window.sidebar.conversation_model) == ["Trip to Lisbon"]
        )
        problem = window.panel.notices.text_of("setup") or ""
        assert "opened it read-only" in problem and "export" in problem
        assert not window.panel.composer.button.isEnabled()
        show_conversation(qtbot, window, lisbon.id)
        assert "Take tram 28 to Alfama." in window.panel.message_view.toPlainText()
        results = run_async(qtbot, chat.library.find("tram"))
        assert [h.conversation_id for h in results.hits] == [lisbon.id]
        out = tmp_path / "exported.md"
        window.library.export_conversations([lisbon.id])
        dialog = window.library.export_dialog
        assert dialog is not None
        dialog.format.setCurrentIndex(dialog.format.findData("md"))
        dialog.destination.setText(str(out))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(out.exists, timeout=10_000)
        assert "Take tram 28" in out.read_text(encoding="utf-8")
        quit_app(qtbot, chat)
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


def test_a_chat_whose_file_is_removed_outside_the_app_leaves_the_list_and_comes_back(
    qtbot, launch, data_dir: Path, tmp_path: Path
) -> None:
    keep, other = make_conversation(title="Keep"), make_conversation(title="Removed outside")
    save_conversations(data_dir, keep, other)
    chat = launch()
    model = chat.window.sidebar.conversation_model
    qtbot.waitUntil(lambda: sorted(listed_titles(model)) == ["Keep", "Removed outside"])
    aside = tmp_path / "aside.json"
    _file(data_dir, other.id).rename(aside)  # a file manager, a sync tool, `rm`
    qtbot.waitUntil(lambda: listed_titles(model) == ["Keep"], timeout=5_000)
    aside.rename(_file(data_dir, other.id))  # and back
    qtbot.waitUntil(lambda: sorted(listed_titles(model)) == ["Keep", "Removed outside"])


def test_opening_a_chat_whose_file_is_gone_says_so_and_drops_it_from_the_list(
    qtbot, launch, data_dir: Path, tmp_path: Path
) -> None:
    gone = make_conversation(title="Gone")
    save_conversations(data_dir, gone)
    chat = launch()
    model = chat.window.sidebar.conversation_model
    qtbot.waitUntil(lambda: listed_titles(model) == ["Gone"])
    _file(data_dir, gone.id).unlink()
    chat.window.open_conversation(gone.id)  # before the folder's change is looked at
    key = f"unreadable:{gone.id}"
    qtbot.waitUntil(lambda: chat.window.panel.notices.text_of(key) is not None)
    assert "no longer in the data folder" in (chat.window.panel.notices.text_of(key) or "")
    qtbot.waitUntil(lambda: listed_titles(model) == [])
