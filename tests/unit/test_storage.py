import json
import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop_chat.domain import Conversation, Message, MessageStatus, Role
from desktop_chat.errors import StorageError
from desktop_chat.storage import SCHEMA_VERSION, ConversationStore, write_atomic


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    folder = tmp_path / "conversations"
    folder.mkdir()
    return ConversationStore(folder)


def _conversation() -> Conversation:
    conversation = Conversation(title="¿Qué es un chatbot? 🤖")
    conversation.messages = [
        Message(role=Role.USER, content="¿Qué es un chatbot? 🤖"),
        Message(role=Role.ASSISTANT, content="Un **programa**…", model="gpt-x"),
    ]
    return conversation


def test_a_saved_conversation_loads_back_equal(store: ConversationStore) -> None:
    original = _conversation()
    store.save(original)
    assert store.load(original.id) == original


def test_the_file_is_readable_utf8_json_with_a_schema_version(
    store: ConversationStore,
) -> None:
    conversation = _conversation()
    store.save(conversation)
    path = store.folder / f"{conversation.id}.json"
    raw = path.read_bytes()
    assert "¿Qué es un chatbot? 🤖".encode() in raw  # not \u-escaped: people read these
    data = json.loads(raw.decode("utf-8"))
    assert data["schema"] == SCHEMA_VERSION
    assert [m["role"] for m in data["messages"]] == ["user", "assistant"]


def test_a_reply_still_streaming_is_stored_as_partial(store: ConversationStore) -> None:
    conversation = _conversation()
    conversation.messages[-1].status = MessageStatus.STREAMING
    store.save(conversation)
    assert store.load(conversation.id).messages[-1].status is MessageStatus.PARTIAL


def test_load_all_lists_newest_first_and_skips_unreadable_files_untouched(
    store: ConversationStore,
) -> None:
    older, newer = _conversation(), _conversation()
    newer.touch()
    store.save(older)
    store.save(newer)
    broken = store.folder / "broken.json"
    broken.write_text('{"schema": 1, "id": "brok', encoding="utf-8")

    assert [c.id for c in store.load_all()] == [newer.id, older.id]
    assert broken.read_text(encoding="utf-8") == '{"schema": 1, "id": "brok'


def test_unsafe_ids_never_become_paths(store: ConversationStore) -> None:
    with pytest.raises(StorageError):
        store.path_for("../../etc/passwd")


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    target = folder / "file.json"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in folder.iterdir()] == ["file.json"]


def test_a_failed_write_keeps_the_previous_file(store: ConversationStore) -> None:
    conversation = _conversation()
    store.save(conversation)
    path = store.folder / f"{conversation.id}.json"
    before = path.read_bytes()
    conversation.messages.append(Message(role=Role.USER, content="x" * 10_000))
    with file_size_limit(len(before) + 100), pytest.raises(StorageError, match="Could not save"):
        store.save(conversation)
    assert path.read_bytes() == before
    assert sorted(p.name for p in store.folder.iterdir()) == [path.name]


@contextmanager
def file_size_limit(max_bytes: int) -> Iterator[None]:
    """Make the kernel refuse writes past `max_bytes` (EFBIG), as a full disk would."""
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, old_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
