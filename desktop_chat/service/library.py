"""The library: every conversation searched, exported or imported, as a whole.

Search reads the index (titles from the list, messages from SQLite), exports read the
files beside the running app (never holding up the saving of replies), imports write
through the store's own thread. The conversations themselves, and the list of them, stay
with the chat service: the library asks it to save before exporting and tells it what an
import added.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain import Conversation, ConversationSummary, SearchHit
from ..errors import ChatError, StorageError
from ..i18n import translate
from ..images import ImageThread
from ..storage.index import fold
from .store_thread import StoreThread
from .threads import settle

if TYPE_CHECKING:
    from ..export import ExportReport
    from .chat_service import ChatService

SEARCH_LIMIT = 60
"""Messages shown for a search: a screenful of conversations with a few matches each; more
costs time on every keystroke."""
TITLE_LIMIT = 50


@dataclass(frozen=True)
class SearchResults:
    titles: list[ConversationSummary]
    """Conversations whose title matches, most recent first."""
    hits: list[SearchHit]
    """Messages that match, newest first."""
    problem: str | None
    """Why messages could not be searched (no index), if so."""
    title_matches: int = 0
    """How many titles match in all (`titles` holds the most recent of them)."""


@dataclass(frozen=True)
class ImportOutcome:
    added: int
    already_there: int
    source: str
    """What was imported, in words for the user ("a ChatGPT export")."""


class LibraryService:
    def __init__(self, store: StoreThread, chats: ChatService, images: ImageThread) -> None:
        self._store = store
        self._chats = chats
        self._images = images
        self._folded_titles: dict[str, str] = {}

    async def find(self, query: str, limit: int = SEARCH_LIMIT) -> SearchResults:
        """Conversations whose title has every word of `query`, and messages that do."""
        words = fold(query).split()
        titled = [
            s
            for s in self._chats.summaries(ordered=False)
            if s.title and all(w in self._folded(s.title) for w in words)
        ]
        # Sorted once filtered: sorting all 10,000 on every keystroke costs ~10 ms.
        titled.sort(key=lambda s: s.updated_at, reverse=True)
        shown = titled[:TITLE_LIMIT]  # a first letter matches half the titles
        try:
            hits = await self._store.run(self._store.store.search, query, limit) if words else []
        except StorageError as exc:
            return SearchResults(shown, [], exc.message, len(titled))
        return SearchResults(shown, hits, None, len(titled))

    def _folded(self, title: str) -> str:
        folded = self._folded_titles.get(title)
        if folded is None:
            folded = self._folded_titles[title] = fold(title)
        return folded

    async def export(
        self,
        conversation_ids: Sequence[str],
        fmt: str,
        out: Path,
        progress: Callable[[int, int], object],
        cancelled: threading.Event,
    ) -> ExportReport:
        """Export conversations as they are now (unsaved changes are saved first).
        Raises ChatError when the destination cannot be used."""
        from ..export import ExportFormat, export_conversations, render
        from ..export.pdf import formulas_in
        from ..render.math import Formulas

        await self._chats.save_now(conversation_ids)
        loop = asyncio.get_running_loop()
        store = self._store.store
        files, images = store.attachments, self._images
        formulas = Formulas(None)

        def renderer(
            conversation: Conversation, chosen: ExportFormat, links: Mapping[str, str]
        ) -> bytes:
            if chosen is not ExportFormat.PDF:
                return render(conversation, chosen, files, links, images=images)
            # Formulas are typeset here, off the GUI thread (each takes 8 to 25 ms).
            formulas.prepare(formulas_in(conversation))
            # Qt lays text out with timers: on the GUI thread, one conversation at a time.
            printed: Future[bytes] = Future()
            loop.call_soon_threadsafe(
                settle,
                printed,
                lambda: render(conversation, chosen, files, links, formulas, images),
            )
            while True:
                try:
                    return printed.result(timeout=0.25)
                except TimeoutError:
                    # Quitting: the loop may never run it; do not keep the process alive.
                    if cancelled.is_set() or loop.is_closed():
                        raise ChatError(
                            translate("ChatService", "The export was stopped.")
                        ) from None

        # Not on the store's thread: a long export must not hold up the saving of replies.
        return await loop.run_in_executor(
            None,
            lambda: export_conversations(
                store,
                list(conversation_ids),
                ExportFormat.of(fmt),
                out,
                progress=lambda done, total: loop.call_soon_threadsafe(progress, done, total),
                should_stop=cancelled.is_set,
                renderer=renderer,
            ),
        )

    @staticmethod
    def file_stem_for(title: str) -> str:
        """A file name (without extension) for a conversation called `title`, valid on
        every system."""
        from ..export.names import safe_file_stem

        return safe_file_stem(title)

    async def import_from(self, path: Path) -> ImportOutcome:
        """Import a ChatGPT export or our own JSON; all of it or (on any error) nothing.
        Raises ChatError with the reason."""
        from ..importers import describe_source, read_import

        # Reading and checking the file touches no store: off the store's thread.
        batch = await asyncio.get_running_loop().run_in_executor(
            None, read_import, path, self._images
        )
        # A conversation open here whose file is not written yet (saves failing) is taken
        # too: the import must not write a file its next save would then overwrite.
        fresh = [c for c in batch.conversations if not self._chats.is_loaded(c.id)]
        report = await self._store.run(self._store.store.import_conversations, fresh, batch.files)
        skipped = len(batch.conversations) - len(fresh)
        added = set(report.added)
        self._chats.list_imported([c for c in fresh if c.id in added])
        return ImportOutcome(
            len(report.added), len(report.already_there) + skipped, describe_source(batch.source)
        )
