"""Imports: ChatGPT's export with its branches and odd content, our own JSON, and files
that are not what they claim to be (refused, with nothing half imported)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from desktop_chat.domain import MessageStatus, Role
from desktop_chat.export import ExportFormat, render
from desktop_chat.importers import ImportFailedError, read_import
from desktop_chat.importers.chatgpt import conversation_id_for
from desktop_chat.storage import ConversationStore
from tests.helpers.golden import golden_conversation

CHATGPT = Path(__file__).resolve().parents[1] / "data" / "chatgpt" / "conversations.json"


def _by_title(path: Path) -> dict:  # type: ignore[type-arg]
    return {c.title: c for c in read_import(path).conversations}


def test_the_path_the_user_last_saw_is_followed_and_the_other_branches_kept() -> None:
    lisbon = _by_title(CHATGPT)["Trip to Lisbon"]
    assert lisbon.id == conversation_id_for("c0ffee00-0000-4000-8000-000000000001")
    assert [m.role for m in lisbon.messages] == [Role.USER, Role.ASSISTANT]
    question, answer = lisbon.messages
    # The edited question, with its picture described (hidden system and custom
    # instructions skipped), and the reply the user last saw (current_node).
    assert question.content == (
        "[Image: file-Lisbon123, 1024×768]\n\n"  # noqa: RUF001
        "Plan three days in Lisbon, with this map in mind."
    )
    assert answer.content.startswith("**Day 1**: Baixa and Alfama.")
    assert answer.model == "gpt-4o"
    # The first question (before the edit) and the regenerated reply are versions.
    assert lisbon.alternatives(0) and lisbon.alternatives(1)
    before_edit = next(b for b in lisbon.branches if b.fork_at == 0)
    assert [m.content for m in before_edit.messages] == [
        "Plan three days in Lisbon.",
        "Day 1: Alfama. Day 2: Belém. Day 3: Sintra.",
    ]
    regenerated = next(b for b in lisbon.branches if b.fork_at == 1)
    assert [m.content for m in regenerated.messages] == ["First take: trams, tiles, tarts."]
    # Switching to another version works like one made in the app.
    lisbon.switch(1, 0)
    assert lisbon.messages[1].content == "First take: trams, tiles, tarts."
    assert lisbon.created_at.isoformat() == "2024-11-24T05:32:00+00:00"
    assert lisbon.updated_at.isoformat() == "2024-11-24T05:42:00+00:00"


def test_tools_reasoning_and_quotes_become_one_readable_reply() -> None:
    sine = _by_title(CHATGPT)["Plot a sine wave"]
    assert [m.role for m in sine.messages] == [Role.USER, Role.ASSISTANT]
    reply = sine.messages[1].content
    # ChatGPT's thoughts and how long it took are the reply's reasoning, not its answer.
    assert sine.messages[1].reasoning == "**Planning**\n\nUse numpy and matplotlib."
    assert sine.messages[1].reasoning_seconds == 4
    assert "Planning" not in reply and "Thought for" not in reply
    assert "```python\nimport numpy as np\nprint(np.sin(0))\n```" in reply
    assert "Output:\n\n```\n0.0\n```" in reply
    assert "search(" not in reply  # the assistant talking to the browser: hidden in ChatGPT
    assert "> A Fourier series is an expansion of a periodic function." in reply
    assert "[Fourier series](https://en.wikipedia.org/wiki/Fourier_series)" in reply
    assert reply.endswith("Here is the plot; sin(0) = 0.0.")
    assert sine.settings.model == "o3"


def test_missing_titles_and_times_and_unfinished_replies() -> None:
    wanted = conversation_id_for("c0ffee00-0000-4000-8000-000000000003")
    odd = next(c for c in read_import(CHATGPT).conversations if c.id == wanted)
    assert odd.title == "¿Qué es un chatbot? <b>bold?</b>"
    assert odd.updated_at == odd.created_at
    assert all(m.created_at == odd.created_at for m in odd.messages)
    assert odd.messages[1].status is MessageStatus.PARTIAL
    assert odd.messages[1].error


def test_a_zip_a_folder_and_the_bare_file_import_the_same(tmp_path: Path) -> None:
    archive = tmp_path / "chatgpt-export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(CHATGPT, "conversations.json")
        zipped.writestr("file-Lisbon123-map.png", b"\x89PNG not really")
        zipped.writestr("user.json", "{}")
    folder = tmp_path / "unzipped"
    folder.mkdir()
    shutil.copy(CHATGPT, folder / "conversations.json")
    expected = read_import(CHATGPT).conversations
    assert read_import(archive).conversations == expected
    assert read_import(folder).conversations == expected
    assert read_import(archive).source == "ChatGPT export"


def test_importing_twice_adds_nothing_the_second_time(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "data")
    store.open()
    first = store.import_conversations(read_import(CHATGPT).conversations)
    assert len(first.added) == 3 and first.already_there == []
    again = store.import_conversations(read_import(CHATGPT).conversations)
    assert again.added == [] and len(again.already_there) == 3
    assert len(store.summaries()) == 3
    assert {s.title for s in store.summaries()} >= {"Trip to Lisbon", "Plot a sine wave"}
    # Imported chats are searchable like any other.
    assert any(hit.conversation_title == "Trip to Lisbon" for hit in store.search("Alfama"))


def test_our_json_export_imports_back_into_another_folder_unchanged(tmp_path: Path) -> None:
    exported = tmp_path / "golden.json"
    exported.write_bytes(render(golden_conversation(), ExportFormat.JSON))
    store = ConversationStore(tmp_path / "elsewhere")
    store.open()
    report = store.import_conversations(read_import(exported).conversations)
    assert report.added == [golden_conversation().id]
    assert store.load(golden_conversation().id) == golden_conversation()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xff\xfe not text", "not UTF-8"),
        (b'{"title": "x", ', "not valid JSON (Expecting property name"),
        (b'"just a string"', "neither a ChatGPT export"),
        (b'[{"title": "Broken", "id": "x"}]', "conversation 1 (“Broken”) has no message tree"),
        (b'[{"mapping": {}, "title": "No id"}]', "has no id"),
        (b'{"schema": 99, "id": "abc", "messages": []}', "newer version of Desktop Chat"),
        (b'{"schema": 3, "id": "abc", "messages": "nope"}', "not a valid conversation"),
    ],
)
def test_a_malformed_or_foreign_file_is_refused_saying_why(
    tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "conversations.json"
    path.write_bytes(content)
    with pytest.raises(ImportFailedError) as refused:
        read_import(path)
    assert says in refused.value.message
    assert "conversations.json" in refused.value.message


def test_one_bad_conversation_stops_the_whole_import(tmp_path: Path) -> None:
    data = json.loads(CHATGPT.read_text(encoding="utf-8"))
    data[2]["mapping"] = "damaged"
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    store = ConversationStore(tmp_path / "data")
    store.open()
    with pytest.raises(ImportFailedError, match="conversation 3"):
        store.import_conversations(read_import(path).conversations)
    assert store.summaries() == []
    assert list((tmp_path / "data" / "conversations").iterdir()) == []


def test_a_zip_without_conversations_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("holiday.jpg", b"jpeg")
    with pytest.raises(ImportFailedError, match=r"without conversations\.json"):
        read_import(archive)
    (tmp_path / "broken.zip").write_bytes(archive.read_bytes()[:40])
    with pytest.raises(ImportFailedError):
        read_import(tmp_path / "broken.zip")


def test_imported_titles_are_plain_words(tmp_path: Path) -> None:
    data = json.loads(CHATGPT.read_text(encoding="utf-8"))
    data[0]["title"] = "**Trip** to `Lisbon`"
    source = tmp_path / "conversations.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    titles = [c.title for c in read_import(source).conversations]
    assert "Trip to Lisbon" in titles
    assert not any("*" in title or "`" in title for title in titles)
