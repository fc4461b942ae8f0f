"""The sidebar: grouped by day, pinned on top, renamed in place, correct while streaming."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QPersistentModelIndex, Qt

from desktop_chat.domain import ConversationSummary
from desktop_chat.ui.sidebar.conversation_list import (
    ConversationIdRole,
    ConversationListModel,
    Group,
    IsHeaderRole,
    group_of,
)
from tests.helpers.conversations import make_conversation, save_conversations
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply

TODAY = datetime(2026, 11, 24, 15, 0).astimezone()


def _summary(name: str, days_ago: float, pinned: bool = False) -> ConversationSummary:
    when = TODAY - timedelta(days=days_ago)
    return ConversationSummary(name, name.title(), when, when, 2, pinned)


class _Source:
    def __init__(self, *summaries: ConversationSummary) -> None:
        self.summaries = list(summaries)

    def __call__(self) -> list[ConversationSummary]:
        ordered = sorted(self.summaries, key=lambda s: s.updated_at, reverse=True)
        return sorted(ordered, key=lambda s: not s.pinned)


def _labels(model: ConversationListModel) -> list[str]:
    return [
        ("# " if model.index(r, 0).data(IsHeaderRole) else "") + model.index(r, 0).data()
        for r in range(model.rowCount())
    ]


def test_conversations_are_grouped_by_day_with_pinned_on_top(qtmodeltester) -> None:
    source = _Source(
        _summary("now", 0),
        _summary("earlier", 0.2),
        _summary("yesterday", 1),
        _summary("tuesday", 4),
        _summary("ancient", 40),
        _summary("kept", 90, pinned=True),
    )
    model = ConversationListModel(source, today=lambda: TODAY.date())
    model.refresh()
    qtmodeltester.check(model)
    assert _labels(model) == [
        "# Pinned",
        "Kept",
        "# Today",
        "Now",
        "Earlier",
        "# Yesterday",
        "Yesterday",
        "# Previous 7 days",
        "Tuesday",
        "# Older",
        "Ancient",
    ]


def test_day_groups_follow_local_calendar_days() -> None:
    today = TODAY.date()
    midnight = TODAY.replace(hour=0, minute=0, second=1)
    assert group_of(_summary("a", 0)._replace(updated_at=midnight), today) is Group.TODAY
    late = midnight - timedelta(seconds=2)
    assert group_of(_summary("a", 0)._replace(updated_at=late), today) is Group.YESTERDAY
    assert group_of(_summary("a", 6), today) is Group.WEEK
    assert group_of(_summary("a", 8), today) is Group.OLDER


def test_headers_cannot_be_selected_or_edited(qapp) -> None:
    model = ConversationListModel(_Source(_summary("a", 0)), today=lambda: TODAY.date())
    model.refresh()
    header, row = model.index(0, 0), model.index(1, 0)
    assert header.flags() == Qt.ItemFlag.NoItemFlags
    assert row.flags() & Qt.ItemFlag.ItemIsSelectable
    assert row.flags() & Qt.ItemFlag.ItemIsEditable
    assert row.data(ConversationIdRole) == "a"


def test_a_chat_with_a_new_reply_moves_up_as_one_row_move(qtmodeltester, qtbot) -> None:
    source = _Source(*(_summary(f"c{n}", n / 100) for n in range(6)))
    model = ConversationListModel(source, today=lambda: TODAY.date())
    model.refresh()
    qtmodeltester.check(model)
    selected = QPersistentModelIndex(model.index(model.row_of("c4"), 0))
    resets, moves = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsMoved.connect(lambda *args: moves.append(args))

    source.summaries[4] = source.summaries[4]._replace(updated_at=TODAY + timedelta(minutes=1))
    model.refresh()

    assert _labels(model)[:3] == ["# Today", "C4", "C0"]
    assert len(moves) == 1 and not resets
    assert selected.isValid() and selected.row() == 1  # the selection follows the chat


def test_groups_appear_and_disappear_as_chats_move(qtmodeltester) -> None:
    source = _Source(_summary("old", 30))
    model = ConversationListModel(source, today=lambda: TODAY.date())
    model.refresh()
    qtmodeltester.check(model)
    source.summaries[0] = source.summaries[0]._replace(updated_at=TODAY)
    model.refresh()
    assert _labels(model) == ["# Today", "Old"]
    source.summaries.append(_summary("pin", 3, pinned=True))
    model.refresh()
    assert _labels(model) == ["# Pinned", "Pin", "# Today", "Old"]
    source.summaries.clear()
    model.refresh()
    assert _labels(model) == []


def test_editing_a_title_asks_for_a_rename(qapp) -> None:
    renamed = []
    model = ConversationListModel(
        _Source(_summary("a", 0)),
        rename=lambda cid, title: renamed.append((cid, title)),
        today=lambda: TODAY.date(),
    )
    model.refresh()
    assert model.setData(model.index(1, 0), "  A  better   name ")
    assert renamed == [("a", "A better name")]
    assert not model.setData(model.index(1, 0), "   ")
    assert not model.setData(model.index(0, 0), "header")


def _row(window, title: str) -> int:  # type: ignore[no-untyped-def]
    model = window.sidebar.conversation_model
    return next(r for r in range(model.rowCount()) if model.index(r, 0).data() == title)


def _saved(data_dir: Path, conversation_id: str) -> dict:
    path = data_dir / "conversations" / f"{conversation_id}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_rename_in_place_with_f2_saves_the_title(qtbot, launch, data_dir: Path) -> None:
    conversation = make_conversation(title="Old title")
    save_conversations(data_dir, conversation)
    chat = launch()
    view, window = chat.window.sidebar.conversation_list, chat.window
    view.setFocus()
    view.setCurrentIndex(window.sidebar.conversation_model.index(_row(window, "Old title"), 0))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Trip to Lisbon")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _saved(data_dir, conversation.id)["title"] == "Trip to Lisbon")
    assert window.sidebar.conversation_model.index(_row(window, "Trip to Lisbon"), 0).isValid()


def test_pinning_moves_a_chat_to_the_top_and_is_saved(qtbot, launch, data_dir: Path) -> None:
    old, new = (
        make_conversation(title="Old", updated_minutes_ago=60 * 24 * 30),
        make_conversation(title="New"),
    )
    save_conversations(data_dir, old, new)
    chat = launch()
    window = chat.window
    window.sidebar.conversation_list.setCurrentIndex(
        window.sidebar.conversation_model.index(_row(window, "Old"), 0)
    )
    window.sidebar.pin_action.trigger()
    qtbot.waitUntil(lambda: _labels(window.sidebar.conversation_model)[:2] == ["# Pinned", "Old"])
    qtbot.waitUntil(lambda: _saved(data_dir, old.id)["pinned"] is True)
    window.sidebar.conversation_list.setCurrentIndex(window.sidebar.conversation_model.index(1, 0))
    window.sidebar.pin_action.trigger()
    qtbot.waitUntil(lambda: "# Pinned" not in _labels(window.sidebar.conversation_model))


def test_the_list_stays_right_while_a_reply_streams(
    qtbot, launch, data_dir: Path, openai_server: FakeOpenAIServer, qtmodeltester
) -> None:
    older = make_conversation(title="Last week", updated_minutes_ago=60 * 24 * 5)
    save_conversations(data_dir, older, make_conversation(title="Today's"))
    openai_server.enqueue(ScriptedReply(text="one two three", hold_after_chunks=1))
    chat = launch()
    window = chat.window
    qtmodeltester.check(window.sidebar.conversation_model)
    window.open_conversation(older.id)
    qtbot.waitUntil(lambda: window.panel.stack.currentWidget() is window.panel.message_view)
    qtbot.keyClicks(window.panel.composer.edit, "More, please")
    qtbot.keyClick(window.panel.composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            _labels(window.sidebar.conversation_model)[:3] == ["# Today", "Last week", "Today's"]
        )
    )
    assert window.sidebar.conversation_list.currentIndex().data(ConversationIdRole) == older.id
    openai_server.release()
    qtbot.waitUntil(lambda: not chat.service.is_streaming(older.id))
    assert "# Previous 7 days" not in _labels(window.sidebar.conversation_model)


def test_a_read_only_chat_cannot_be_renamed(qapp) -> None:
    summary = _summary("ro", 0)._replace(read_only=True)
    model = ConversationListModel(_Source(summary), today=lambda: TODAY.date())
    model.refresh()
    assert not model.index(1, 0).flags() & Qt.ItemFlag.ItemIsEditable


def test_summaries_at_the_same_instant_keep_a_stable_order(qapp) -> None:
    when = datetime(2026, 11, 24, 12, tzinfo=UTC)
    source = _Source(*(ConversationSummary(f"s{n}", f"S{n}", when, when, 1) for n in range(3)))
    model = ConversationListModel(source, today=lambda: TODAY.date())
    model.refresh()
    first = _labels(model)
    model.refresh()
    assert _labels(model) == first


def test_a_long_title_is_elided_not_scrolled_to(qtbot, launch, data_dir: Path) -> None:
    save_conversations(data_dir, make_conversation(title="A very long title " * 12))
    chat = launch()
    view = chat.window.sidebar.conversation_list
    qtbot.waitUntil(lambda: chat.window.sidebar.conversation_model.rowCount() == 2)
    view.doItemsLayout()
    assert not view.horizontalScrollBar().isVisible()
    row = view.visualRect(chat.window.sidebar.conversation_model.index(1, 0))
    assert row.width() <= view.viewport().width()
    assert row.height() >= 1.5 * view.fontMetrics().height(), "rows easy to hit"
