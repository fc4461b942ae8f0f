"""A derived index of the conversation files: SQLite for the list, FTS5 for search.

The JSON files are the truth. The index remembers each file's size and modification time
and is reconciled against the folder on open; if it is missing, from another index version
or damaged, it is deleted and rebuilt. Losing it never loses a chat.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from ..domain import (
    SNIPPET_MARK_END,
    SNIPPET_MARK_START,
    Conversation,
    ConversationSummary,
    Message,
    Role,
    SearchHit,
)

INDEX_VERSION = 4
SNIPPET_WORDS = 12
# After indexing this many conversations at once, merge the index's segments.
OPTIMIZE_AFTER = 1000

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    file_mtime_ns INTEGER NOT NULL,
    file_size INTEGER NOT NULL,
    title TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    updated_us INTEGER NOT NULL,
    pinned INTEGER NOT NULL,
    read_only INTEGER NOT NULL,
    message_count INTEGER NOT NULL
);
CREATE TABLE messages (
    rowid INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    role TEXT NOT NULL,
    digest BLOB NOT NULL
);
CREATE UNIQUE INDEX messages_by_conversation ON messages (conversation_id, message_id);
CREATE VIRTUAL TABLE message_text USING fts5(
    content, reasoning, tokenize = 'unicode61 remove_diacritics 2', detail = column
);
"""


class IndexUnusable(Exception):  # noqa: N818 - a state, not a programming error
    """The index file cannot be used; the caller deletes and rebuilds it."""


class SearchIndex:
    def __init__(self, path: Path | None) -> None:
        """`path` None: an index kept in memory (for a data folder that cannot be written)."""
        self.path = path
        self._db: sqlite3.Connection | None = None

    # --- lifecycle -----------------------------------------------------------------

    def open(self) -> bool:
        """Open the index, creating it if needed. True when it was (re)created empty."""
        created = self.path is None or not self.path.exists()
        try:
            self._connect()
            if not created and self._version() != INDEX_VERSION:
                raise IndexUnusable("index from another version")
        except (sqlite3.Error, IndexUnusable):
            self.delete()
            self._connect()
            created = True
        if created:
            with self._conn:
                self._conn.executescript(_SCHEMA)
                self._conn.execute("INSERT INTO meta VALUES ('version', ?)", (str(INDEX_VERSION),))
        return created

    def open_read_only(self) -> bool:
        """Open an existing index of this version for reading only (another process owns
        it); False when there is none to read."""
        if self.path is None or not self.path.exists():
            return False
        try:
            self.close()
            uri = f"{self.path.as_uri()}?mode=ro"
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            if self._version() != INDEX_VERSION:
                raise IndexUnusable("index from another version")
        except (sqlite3.Error, IndexUnusable):
            self.close()
            return False
        return True

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def delete(self) -> None:
        self.close()
        if self.path is None:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{self.path}{suffix}").unlink()  # anything else: open() will say

    def _connect(self) -> None:
        self.close()
        # One worker thread uses the connection at a time; the service serialises access.
        if self.path is None:
            self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            return
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        # The index is derived: after a power cut it may lose the last commits, which the
        # next reconcile repairs from the files. NORMAL keeps each save fast.
        db.execute("PRAGMA synchronous = NORMAL")
        self._db = db

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise IndexUnusable("the index is not open")
        return self._db

    def _version(self) -> int | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return int(row[0]) if row else None

    # --- reading -------------------------------------------------------------------

    def file_states(self) -> dict[str, tuple[int, int]]:
        """{conversation id: (file mtime in ns, file size)} as last indexed."""
        rows = self._conn.execute("SELECT id, file_mtime_ns, file_size FROM conversations")
        return {row[0]: (row[1], row[2]) for row in rows}

    def file_state(self, conversation_id: str) -> tuple[int, int] | None:
        row = self._conn.execute(
            "SELECT file_mtime_ns, file_size FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def summaries(self) -> list[ConversationSummary]:
        rows = self._conn.execute(
            "SELECT id, title, created_us, updated_us, message_count, pinned, read_only "
            "FROM conversations ORDER BY pinned DESC, updated_us DESC"
        )
        return [
            ConversationSummary(
                id=row[0],
                title=row[1],
                created_at=_from_us(row[2]),
                updated_at=_from_us(row[3]),
                message_count=row[4],
                pinned=bool(row[5]),
                read_only=bool(row[6]),
            )
            for row in rows
        ]

    def counts(self) -> tuple[int, int]:
        """(conversations, messages) in the index."""
        conversations = self._conn.execute("SELECT count(*) FROM conversations").fetchone()[0]
        messages = self._conn.execute(
            "SELECT coalesce(sum(message_count), 0) FROM conversations"
        ).fetchone()[0]
        return conversations, messages

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Messages matching every word of `query` (the last one as a prefix as you type),
        newest first. Rowids are message times, so however common the words, only the
        newest `limit` matches are read; snippets are made for those alone.
        """
        expression = fts_query(query)
        if not expression:
            return []
        best = [
            row[0]
            for row in self._conn.execute(
                "SELECT rowid FROM message_text WHERE message_text MATCH ? "
                "ORDER BY rowid DESC LIMIT ?",
                (expression, limit),
            )
        ]
        if not best:
            return []
        marks = ",".join("?" * len(best))
        rows = self._conn.execute(
            "SELECT message_text.rowid, m.conversation_id, c.title, m.message_id, m.role, "
            "       message_text.content, message_text.reasoning "
            "FROM message_text "
            "JOIN messages m ON m.rowid = message_text.rowid "
            "JOIN conversations c ON c.id = m.conversation_id "
            f"WHERE message_text.rowid IN ({marks})",
            best,
        )
        terms, last_is_prefix = query_terms(query)
        hits = {}
        for row in rows:
            # Where the words are: the answer, unless it lacks some the thoughts hold.
            thoughts = bool(row[6]) and not _mentions_all(row[5], terms, last_is_prefix)
            hits[row[0]] = SearchHit(
                conversation_id=row[1],
                conversation_title=row[2],
                message_id=row[3],
                role=Role(row[4]),
                snippet=snippet(row[6] if thoughts else row[5], terms, last_is_prefix),
                in_reasoning=thoughts,
            )
        return [hits[rowid] for rowid in best if rowid in hits]

    # --- writing -------------------------------------------------------------------

    def put(self, conversation: Conversation, file_mtime_ns: int, file_size: int) -> None:
        """Index one conversation; only messages whose text changed are re-indexed."""
        with self._transaction():
            self._put(conversation, file_mtime_ns, file_size)

    def put_many(self, items: Iterable[tuple[Conversation, int, int]]) -> None:
        with self._transaction():
            for conversation, mtime_ns, size in items:
                self._put(conversation, mtime_ns, size)

    def optimize(self) -> None:
        """Merge the full-text index's segments: after a big rebuild, searches get faster."""
        self._conn.execute("INSERT INTO message_text (message_text) VALUES ('optimize')")

    def read_only_ids(self) -> list[str]:
        return [
            row[0]
            for row in self._conn.execute(
                "SELECT id FROM conversations WHERE read_only ORDER BY id"
            )
        ]

    def remove(self, conversation_ids: Iterable[str]) -> None:
        with self._transaction():
            for conversation_id in conversation_ids:
                rowids = [
                    row[0]
                    for row in self._conn.execute(
                        "SELECT rowid FROM messages WHERE conversation_id = ?", (conversation_id,)
                    )
                ]
                self._delete_messages(rowids)
                self._conn.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def _put(self, conversation: Conversation, file_mtime_ns: int, file_size: int) -> None:
        db = self._conn
        db.execute(
            "INSERT OR REPLACE INTO conversations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                conversation.id,
                file_mtime_ns,
                file_size,
                conversation.title,
                _to_us(conversation.created_at),
                _to_us(conversation.updated_at),
                int(conversation.pinned),
                int(conversation.read_only),
                len(conversation.messages),
            ),
        )
        indexed = {
            row[0]: (row[1], row[2])
            for row in db.execute(
                "SELECT message_id, rowid, digest FROM messages WHERE conversation_id = ?",
                (conversation.id,),
            )
        }
        floor = 0  # messages of one instant get consecutive keys, not a collision hunt
        for message in conversation.messages:
            digest = _digest(message.role.value, message.content, message.reasoning)
            known = indexed.pop(message.id, None)
            if known is not None and known[1] == digest:
                continue
            if known is not None:  # edited: replace its text, keep its row
                rowid = known[0]
                db.execute("DELETE FROM message_text WHERE rowid = ?", (rowid,))
                db.execute(
                    "UPDATE messages SET role = ?, digest = ? WHERE rowid = ?",
                    (message.role.value, digest, rowid),
                )
            else:
                rowid = self._insert_message(conversation.id, message, digest, floor)
                floor = rowid + 1
            db.execute(
                "INSERT INTO message_text (rowid, content, reasoning) VALUES (?, ?, ?)",
                (rowid, message.content, message.reasoning),
            )
        self._delete_messages([rowid for rowid, _ in indexed.values()])

    def _insert_message(
        self, conversation_id: str, message: Message, digest: bytes, floor: int
    ) -> int:
        """A new row keyed by the message's time (at least `floor`): rowid order is time order."""
        rowid = max(_time_key(message.created_at), floor)
        while True:
            inserted = self._conn.execute(
                "INSERT OR IGNORE INTO messages (rowid, conversation_id, message_id, role, digest) "
                "VALUES (?, ?, ?, ?, ?)",
                (rowid, conversation_id, message.id, message.role.value, digest),
            ).rowcount
            if inserted:
                return rowid
            rowid += 1  # another message of the same microsecond

    def _delete_messages(self, rowids: list[int]) -> None:
        for rowid in rowids:
            self._conn.execute("DELETE FROM message_text WHERE rowid = ?", (rowid,))
            self._conn.execute("DELETE FROM messages WHERE rowid = ?", (rowid,))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        db = self._conn
        db.execute("BEGIN")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def query_terms(text: str) -> tuple[list[str], bool]:
    """The words of a query, folded as the index folds them; whether the last is a prefix."""
    words = [fold(word) for word in re.findall(r"\w+", text)]
    return words, bool(words) and text == text.rstrip()  # still typing the last word


def fts_query(text: str) -> str:
    """A safe FTS5 expression: every word must occur; the last may be a prefix (as you type)."""
    words, last_is_prefix = query_terms(text)
    quoted = [f'"{word}"' for word in words]
    if last_is_prefix:
        quoted[-1] += "*"
    return " ".join(quoted)


def fold(text: str) -> str:
    """Lower case without diacritics: what `unicode61 remove_diacritics 2` matches on."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def snippet(
    content: str, terms: list[str], last_is_prefix: bool, words: int = SNIPPET_WORDS
) -> str:
    """About `words` words of `content` around the first match, matches marked.

    Built here rather than by FTS5's snippet(), which costs ~1 ms a row for common words.
    """
    tokens = list(re.finditer(r"\w+", content))
    if not tokens:
        return content[:200]
    exact = set(terms[:-1] if last_is_prefix else terms)
    prefix = terms[-1] if last_is_prefix and terms else None

    def matches(token: str) -> bool:
        folded = fold(token)
        return folded in exact or (prefix is not None and folded.startswith(prefix))

    hit = [matches(token.group()) for token in tokens]
    first = hit.index(True) if True in hit else 0
    start = max(0, first - words // 3)
    end = min(len(tokens), start + words)
    start = max(0, end - words)
    pieces = []
    position = tokens[start].start()
    for index in range(start, end):
        token = tokens[index]
        pieces.append(content[position : token.start()])
        text = token.group()
        pieces.append(f"{SNIPPET_MARK_START}{text}{SNIPPET_MARK_END}" if hit[index] else text)
        position = token.end()
    body = " ".join("".join(pieces).split())
    before = "…" if start > 0 else ""
    after = "…" if end < len(tokens) else ""
    return f"{before}{body}{after}"


def _mentions_all(content: str, terms: list[str], last_is_prefix: bool) -> bool:
    """Whether every word of the query is in `content` (the last as a prefix, if so)."""
    wanted = set(terms[:-1] if last_is_prefix else terms)
    prefix = terms[-1] if last_is_prefix and terms else None
    for token in re.finditer(r"\w+", content):
        folded = fold(token.group())
        wanted.discard(folded)
        if prefix is not None and folded.startswith(prefix):
            prefix = None
        if not wanted and prefix is None:
            return True
    return not wanted and prefix is None


def _digest(role: str, content: str, reasoning: str = "") -> bytes:
    text = f"{role}\0{content}\0{reasoning}" if reasoning else f"{role}\0{content}"
    return hashlib.blake2b(text.encode(), digest_size=8).digest()


def _time_key(moment: datetime) -> int:
    """Microseconds since the epoch, times 16 to leave room for same-instant messages."""
    return _to_us(moment) * 16


def _to_us(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def _from_us(microseconds: int) -> datetime:
    return datetime.fromtimestamp(microseconds / 1_000_000, UTC)
