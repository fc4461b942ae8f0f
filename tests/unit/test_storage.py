"""The conversation store on real files in a temporary data folder."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat.domain import SNIPPET_MARK_END, SNIPPET_MARK_START, MessageStatus
from desktop_chat.errors import StorageError
from desktop_chat.storage import (
    SCHEMA_VERSION,
    ConversationStore,
    ConversationUnreadableError,
    SaveFailedError,
    encode,
    write_atomic,
)
from tests.helpers.conversations import make_conversation
from tests.helpers.disk_faults import disk_full_under, file_size_limit


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ConversationStore]:
    store = ConversationStore(tmp_path / "data")
    store.open()
    yield store
    store.close()


def reopen(store: ConversationStore) -> tuple[ConversationStore, object]:
    store.close()
    again = ConversationStore(store.data_dir)
    return again, again.open()


def file_of(store: ConversationStore, conversation_id: str) -> Path:
    return store.conversations_dir / f"{conversation_id}.json"


# --- format ------------------------------------------------------------------------------


def test_a_saved_conversation_loads_back_equal(store: ConversationStore) -> None:
    original = make_conversation(turns=3)
    store.save(original)
    assert store.load(original.id) == original


def test_the_file_is_readable_utf8_json_with_a_schema_version(store: ConversationStore) -> None:
    conversation = make_conversation()
    store.save(conversation)
    raw = file_of(store, conversation.id).read_bytes()
    assert "¿Qué es un chatbot? 🤖".encode() in raw  # not \u-escaped: people read these
    data = json.loads(raw.decode("utf-8"))
    assert data["schema"] == SCHEMA_VERSION
    assert [m["role"] for m in data["messages"]] == ["user", "assistant"]
    assert data["messages"][1]["usage"] == {"prompt_tokens": 12, "completion_tokens": 34}


def test_a_reply_still_streaming_is_stored_as_partial(store: ConversationStore) -> None:
    conversation = make_conversation()
    conversation.messages[-1].status = MessageStatus.STREAMING
    store.save(conversation)
    assert store.load(conversation.id).messages[-1].status is MessageStatus.PARTIAL


def test_ids_that_could_leave_the_folder_are_refused(store: ConversationStore) -> None:
    for bad in ("../../etc/passwd", "a/b", ".hidden", "", "con:1"):
        with pytest.raises(StorageError):
            store.load(bad)


# --- atomic saves ------------------------------------------------------------------------


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    target = folder / "file.json"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in folder.iterdir()] == ["file.json"]


def test_a_write_the_kernel_refuses_keeps_the_previous_file(store: ConversationStore) -> None:
    conversation = make_conversation()
    store.save(conversation)
    path = file_of(store, conversation.id)
    before = path.read_bytes()
    conversation.messages[-1].content = "x" * 20_000
    with file_size_limit(len(before) + 100), pytest.raises(SaveFailedError):
        store.save(conversation)
    assert path.read_bytes() == before
    assert sorted(p.name for p in store.conversations_dir.iterdir()) == [path.name]


def test_a_full_disk_fails_the_save_with_a_clear_message_and_keeps_the_file(
    store: ConversationStore,
) -> None:
    conversation = make_conversation(title="Trip plans")
    store.save(conversation)
    path = file_of(store, conversation.id)
    before = path.read_bytes()
    conversation.messages[-1].content = "changed"
    with disk_full_under(store.conversations_dir), pytest.raises(SaveFailedError) as caught:
        store.save(conversation)
    assert "“Trip plans” could not be saved: the disk is full" in caught.value.message
    assert "kept in memory" in caught.value.message
    assert path.read_bytes() == before
    assert sorted(p.name for p in store.conversations_dir.iterdir()) == [path.name]
    store.save(conversation)  # space is back
    assert store.load(conversation.id).messages[-1].content == "changed"


def test_a_reader_never_sees_a_half_written_file(store: ConversationStore) -> None:
    small, big = make_conversation(turns=1), make_conversation(turns=400)
    big.id = small.id
    versions = {encode(small), encode(big)}
    store.save(small)
    path = file_of(store, small.id)
    stop = threading.Event()
    seen: list[bytes] = []

    def read_continuously() -> None:
        while not stop.is_set():
            seen.append(path.read_bytes())

    reader = threading.Thread(target=read_continuously)
    reader.start()
    try:
        for number in range(60):
            store.save(big if number % 2 else small)
    finally:
        stop.set()
        reader.join()
    assert seen
    assert all(data in versions for data in seen)


def test_leftovers_of_interrupted_saves_are_removed_on_open(store: ConversationStore) -> None:
    conversation = make_conversation()
    store.save(conversation)
    leftover = store.conversations_dir / f".{conversation.id}.json.abc123.tmp"
    leftover.write_bytes(b'{"schema": 2, "id"')
    store, report = reopen(store)
    assert report.temp_files_removed == 1  # type: ignore[attr-defined]
    assert not leftover.exists()
    assert store.load(conversation.id) == conversation
    store.close()


# --- unreadable files --------------------------------------------------------------------


def test_an_unreadable_file_is_moved_to_quarantine_untouched_and_reported_once(
    store: ConversationStore,
) -> None:
    good = make_conversation(title="good")
    store.save(good)
    broken = store.conversations_dir / "broken.json"
    broken.write_bytes(b'{"schema": 2, "id": "brok')
    store, report = reopen(store)
    [moved] = report.quarantined  # type: ignore[attr-defined]
    assert moved.name == "broken.json"
    assert "not valid JSON" in moved.reason
    assert moved.moved_to == store.quarantine_dir / "broken.json"
    assert moved.moved_to.read_bytes() == b'{"schema": 2, "id": "brok'
    assert not broken.exists()
    assert [s.id for s in store.summaries()] == [good.id]
    store, report = reopen(store)
    assert report.quarantined == []  # type: ignore[attr-defined]
    store.close()


def test_a_quarantined_name_never_overwrites_an_earlier_one(store: ConversationStore) -> None:
    for content in (b"first", b"second"):
        (store.conversations_dir / "same.json").write_bytes(content)
        store, _ = reopen(store)
    assert (store.quarantine_dir / "same.json").read_bytes() == b"first"
    assert (store.quarantine_dir / "same (2).json").read_bytes() == b"second"
    store.close()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b"[1, 2, 3]", "top level is a list"),
        (b'{"id": "x"}', "'schema' field is missing"),
        (b'{"schema": "two"}', "'schema' must be a positive whole number"),
        (b'{"schema": 2, "title": 3}', "'title' must be text"),
        (b'{"schema": 1, "id": "x", "title": "t", "created_at": "yesterday"}', "ISO 8601"),
    ],
)
def test_the_reason_names_what_is_wrong(
    store: ConversationStore, content: bytes, reason: str
) -> None:
    (store.conversations_dir / "bad.json").write_bytes(content)
    store, report = reopen(store)
    assert reason in report.quarantined[0].reason  # type: ignore[attr-defined]
    store.close()


def test_a_file_that_turns_unreadable_after_indexing_is_quarantined_on_open(
    store: ConversationStore,
) -> None:
    conversation = make_conversation()
    store.save(conversation)
    file_of(store, conversation.id).write_text('{"schema": 2, "messages": "oops"}')
    with pytest.raises(ConversationUnreadableError, match="moved to"):
        store.load(conversation.id)
    assert (store.quarantine_dir / f"{conversation.id}.json").exists()
    assert store.summaries() == []


# --- trash -------------------------------------------------------------------------------


def test_delete_moves_to_the_trash_and_restore_brings_it_back(store: ConversationStore) -> None:
    conversation = make_conversation(title="Recipes")
    store.save(conversation)
    entry = store.delete(conversation.id)
    assert not file_of(store, conversation.id).exists()
    assert (store.trash_dir / entry.file_name).exists()
    assert store.summaries() == []
    assert store.search("Recipes") == []

    restored_id = store.restore(entry)
    assert restored_id == conversation.id
    assert store.load(restored_id) == conversation
    assert [s.title for s in store.summaries()] == ["Recipes"]
    assert store.search("Recipes")
    assert not any(store.trash_dir.iterdir())


# --- copies and other versions -----------------------------------------------------------


def test_a_sync_tool_conflict_copy_is_its_own_conversation(store: ConversationStore) -> None:
    conversation = make_conversation(title="Original")
    store.save(conversation)
    copy = store.conversations_dir / f"{conversation.id} (conflicted copy).json"
    copy.write_bytes(file_of(store, conversation.id).read_bytes())
    store, _ = reopen(store)
    ids = sorted(s.id for s in store.summaries())
    assert ids == sorted([conversation.id, f"{conversation.id} (conflicted copy)"])
    assert store.load(f"{conversation.id} (conflicted copy)").title == "Original"
    store.close()


def _newer_file(conversation_id: str) -> bytes:
    data = json.loads(encode(make_conversation(title="From the future")))
    data["schema"] = SCHEMA_VERSION + 1
    data["id"] = conversation_id
    data["reactions"] = {"👍": 3}  # a field this version does not know
    return json.dumps(data, ensure_ascii=False).encode()


def test_a_newer_file_opens_read_only_and_is_never_rewritten(store: ConversationStore) -> None:
    path = store.conversations_dir / "future.json"
    path.write_bytes(_newer_file("future"))
    before = path.read_bytes(), path.stat().st_mtime_ns
    store, report = reopen(store)
    assert report.read_only == ["future"]  # type: ignore[attr-defined]
    [summary] = store.summaries()
    assert summary.read_only and summary.title == "From the future"
    conversation = store.load("future")
    assert conversation.read_only
    with pytest.raises(StorageError, match="newer version"):
        store.save(conversation)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    store.close()


def test_a_newer_file_this_version_cannot_show_is_left_in_place(store: ConversationStore) -> None:
    path = store.conversations_dir / "future.json"
    path.write_text(json.dumps({"schema": SCHEMA_VERSION + 1, "turns": []}))
    store, report = reopen(store)
    assert report.newer_unreadable == ["future.json"]  # type: ignore[attr-defined]
    assert report.quarantined == []  # type: ignore[attr-defined]
    assert path.exists()
    store.close()


# --- the index ---------------------------------------------------------------------------


def test_listing_reads_no_file_once_the_index_is_warm(store: ConversationStore) -> None:
    for number in range(5):
        store.save(make_conversation(title=f"Chat {number}", updated_minutes_ago=number))
    store, report = reopen(store)
    assert report.files_read == 0  # type: ignore[attr-defined]
    assert [s.title for s in store.summaries()] == [f"Chat {n}" for n in range(5)]
    store.close()


def test_pinned_conversations_come_first(store: ConversationStore) -> None:
    old = make_conversation(title="Old but pinned", updated_minutes_ago=60)
    old.pinned = True
    store.save(make_conversation(title="Recent"))
    store.save(old)
    assert [s.title for s in store.summaries()] == ["Old but pinned", "Recent"]


def test_a_file_changed_outside_the_app_is_reindexed(store: ConversationStore) -> None:
    conversation = make_conversation(title="Before")
    store.save(conversation)
    path = file_of(store, conversation.id)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["title"] = "After, edited by hand"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    store, report = reopen(store)
    assert report.files_read == 1  # type: ignore[attr-defined]
    assert [s.title for s in store.summaries()] == ["After, edited by hand"]
    store.close()


def test_files_removed_outside_the_app_leave_the_list(store: ConversationStore) -> None:
    conversation = make_conversation()
    store.save(conversation)
    file_of(store, conversation.id).unlink()
    store, _ = reopen(store)
    assert store.summaries() == []
    assert store.search("chatbot") == []
    store.close()


@pytest.mark.parametrize("damage", ["garbage", "missing", "other-version"])
def test_a_damaged_missing_or_foreign_index_is_rebuilt_from_the_files(
    store: ConversationStore, damage: str
) -> None:
    conversations = [make_conversation(title=f"Chat {n}", turns=2) for n in range(3)]
    for conversation in conversations:
        store.save(conversation)
    store.close()
    index = store.data_dir / "index.sqlite3"
    if damage == "garbage":
        index.write_bytes(b"this is not a database" * 100)
    elif damage == "missing":
        index.unlink()
    else:
        import sqlite3

        with sqlite3.connect(index) as db:
            db.execute("UPDATE meta SET value = '999' WHERE key = 'version'")
    store, report = reopen(store)
    assert report.index_rebuilt  # type: ignore[attr-defined]
    assert report.files_read == 3  # type: ignore[attr-defined]
    assert sorted(s.title for s in store.summaries()) == ["Chat 0", "Chat 1", "Chat 2"]
    assert len(store.search("Chat")) == 6  # the questions
    store.close()


# --- search ------------------------------------------------------------------------------


def test_search_finds_words_ignoring_case_and_accents_with_a_marked_snippet(
    store: ConversationStore,
) -> None:
    spanish = make_conversation(title="Canciones", answer="La canción más famosa de Perú.")
    store.save(spanish)
    store.save(make_conversation(title="Other", answer="Nothing to see"))
    [hit] = store.search("CANCION peru")
    assert hit.conversation_id == spanish.id
    assert hit.conversation_title == "Canciones"
    assert f"{SNIPPET_MARK_START}canción{SNIPPET_MARK_END}" in hit.snippet
    assert hit.message_id == spanish.messages[1].id


def test_search_finds_words_in_a_replys_thoughts_and_says_so(store: ConversationStore) -> None:
    conversation = make_conversation(answer="The capital is Lisbon.")
    conversation.messages[1].reasoning = "Portugal's capital moved from Coimbra long ago."
    store.save(conversation)
    [in_thoughts] = store.search("coimbra")
    assert in_thoughts.in_reasoning
    assert f"{SNIPPET_MARK_START}Coimbra{SNIPPET_MARK_END}" in in_thoughts.snippet
    [in_answer] = store.search("capital")  # in both: the answer's words are shown
    assert not in_answer.in_reasoning and "Lisbon" in in_answer.snippet
    conversation.messages[1].reasoning = "Something else."
    store.save(conversation)  # the thoughts changed: re-indexed
    assert store.search("coimbra") == []


def test_the_last_word_matches_as_a_prefix_while_typing(store: ConversationStore) -> None:
    store.save(make_conversation(answer="Photosynthesis explained"))
    assert store.search("photosyn")
    assert not store.search("photosyn ")  # a finished word must match whole


def test_search_follows_edits_and_deletions(store: ConversationStore) -> None:
    conversation = make_conversation(answer="zebra")
    store.save(conversation)
    conversation.messages[1].content = "giraffe"
    store.save(conversation)
    assert store.search("zebra") == []
    assert len(store.search("giraffe")) == 1
    store.delete(conversation.id)
    assert store.search("giraffe") == []


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ('"', False),
        ("AND", True),
        ("a OR", True),
        ("NEAR(x y)", True),
        ("*", False),
        ("col:umn", True),
        ("(", False),
        ("-x", True),
        ("^", False),
        ("'; DROP", False),
    ],
)
def test_queries_with_search_syntax_characters_are_words_to_find(
    store: ConversationStore, query: str, finds: bool
) -> None:
    """Search syntax typed by a user is not syntax: its words are looked for like any
    others (and marks alone find nothing), never an error or a broken index."""
    operators = make_conversation(
        title="Operators", answer="Write a OR b, NEAR(x y), col:umn and -x to the engine."
    )
    store.save(operators)
    store.save(make_conversation())
    hits = store.search(query)
    assert [h.conversation_id for h in hits] == ([operators.id] if finds else [])
    assert {h.conversation_id for h in store.search("programa")} == {
        c.id for c in store.summaries() if c.id != operators.id
    }


def test_snippets_mark_folded_and_prefix_matches_around_the_first_one() -> None:
    from desktop_chat.storage.index import query_terms, snippet

    text = " ".join(f"w{n}" for n in range(30)) + " La Canción del árbol " + "x " * 30
    terms, prefix = query_terms("cancion arb")
    made = snippet(text, terms, prefix)
    start, end = SNIPPET_MARK_START, SNIPPET_MARK_END
    assert f"{start}Canción{end} del {start}árbol{end}" in made
    assert made.startswith("…") and made.endswith("…")
    assert len(made.split()) <= 13
    assert snippet("short text", *query_terms("short")) == f"{start}short{end} text"


def test_search_returns_the_newest_matches_first(store: ConversationStore) -> None:
    older = make_conversation(title="Older", answer="orchid care", updated_minutes_ago=90)
    newer = make_conversation(title="Newer", answer="orchid watering")
    for message in older.messages:
        message.created_at = older.created_at
    same_instant = make_conversation(title="Imported", turns=30, answer="orchid")
    for message in same_instant.messages:  # an import with one time for every message
        message.created_at = older.created_at
    for conversation in (newer, same_instant, older):
        store.save(conversation)
    hits = store.search("orchid", limit=100)
    assert hits[0].conversation_title == "Newer"
    assert len(hits) == 1 + 30 + 1
    assert {h.conversation_title for h in hits[1:]} == {"Older", "Imported"}


@pytest.mark.expect_error_log
def test_without_a_usable_index_the_files_are_listed_saved_and_searched_honestly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir = tmp_path / "data"
    store = ConversationStore(data_dir)
    store.open()
    conversation = make_conversation(title="Survives")
    store.save(conversation)
    store.close()
    index = data_dir / "index.sqlite3"
    for extra in data_dir.glob("index.sqlite3*"):
        extra.unlink()
    index.mkdir()  # something that is not a database, and cannot be replaced
    store = ConversationStore(data_dir)
    report = store.open()
    assert report.index_unavailable
    assert [s.title for s in store.summaries()] == ["Survives"]
    conversation.messages[-1].content = "still saved"
    store.save(conversation)
    assert store.load(conversation.id).messages[-1].content == "still saved"
    with pytest.raises(StorageError, match="Search is unavailable"):
        store.search("saved")
    doctor = store.doctor()
    assert doctor.conversations == 1 and doctor.problems == 1
    store.close()
    assert {r.getMessage().split(":")[0] for r in caplog.records if r.levelname == "ERROR"} == {
        "Working without an index"
    }
