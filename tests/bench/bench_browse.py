"""Browsing at scale: search as you type in the window, and export and import of 10,000
conversations of 20 messages.

Prints `name: value unit` lines:
  search_keystroke_ms      a key typed in the search field until its results are shown
                           (median over every prefix of several queries; target ≤ 50)
  search_keystroke_max_ms  the slowest of those
  export_<fmt>_ms          every conversation exported to one folder (md, html, json, txt)
  export_pdf_per_conversation_ms  PDFs are slower: timed on the first --pdf ones
  import_json_ms           the JSON export imported into an empty data folder
  import_chatgpt_ms        a ChatGPT export of as many conversations, imported
  reimport_chatgpt_ms      the same ChatGPT export again (everything already there)

Usage: python tests/bench/bench_browse.py [--conversations N] [--pdf N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop_chat.export import ExportFormat, export_conversations  # noqa: E402
from desktop_chat.importers import read_import  # noqa: E402
from desktop_chat.storage import ConversationStore  # noqa: E402
from tests.bench.bench_store import seed  # noqa: E402


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, result


async def search_keystrokes(data_dir: Path, queries: list[str]) -> list[float]:
    """Type each query into the real window, one key at a time, waiting for its results."""
    from desktop_chat.composition import DesktopChat
    from desktop_chat.paths import AppPaths

    paths = AppPaths.resolve(data_dir, {})
    paths.create()
    chat = DesktopChat(paths, {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    chat.window.show()
    chat.start()
    await asyncio.gather(*chat.startup)
    panel = chat.window.sidebar.search
    times: list[float] = []
    try:
        for query in queries:
            panel.field.clear()
            await asyncio.sleep(0.05)
            for length in range(1, len(query) + 1):
                typed = query[:length]
                started = time.perf_counter()
                panel.field.setText(typed)
                # Polled each turn of the loop: the measurement, not a wait for an event.
                while panel.shown_query != typed.strip():  # noqa: ASYNC110
                    await asyncio.sleep(0)
                QApplication.processEvents()  # the results painted, as a user sees them
                times.append((time.perf_counter() - started) * 1000)
    finally:
        chat.window.close()
        await chat.shutdown()
    return times


def chatgpt_export(store: ConversationStore, ids: list[str], path: Path) -> None:
    """The conversations written out in the shape of ChatGPT's conversations.json."""
    items = []
    for conversation_id in ids:
        conversation = store.load(conversation_id)
        mapping = {"root": {"id": "root", "message": None, "parent": None, "children": []}}
        parent = "root"
        for number, message in enumerate(conversation.messages):
            node = f"{conversation_id}-{number}"
            mapping[parent]["children"].append(node)
            mapping[node] = {
                "id": node,
                "parent": parent,
                "children": [],
                "message": {
                    "id": node,
                    "author": {"role": message.role.value},
                    "create_time": message.created_at.timestamp(),
                    "content": {"content_type": "text", "parts": [message.content]},
                    "status": "finished_successfully",
                    "metadata": {"model_slug": message.model} if message.model else {},
                    "recipient": "all",
                },
            }
            parent = node
        items.append(
            {
                "id": conversation_id,
                "title": conversation.title,
                "create_time": conversation.created_at.timestamp(),
                "update_time": conversation.updated_at.timestamp(),
                "current_node": parent,
                "mapping": mapping,
            }
        )
    path.write_text(json.dumps(items), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--pdf", type=int, default=100, help="how many to time as PDF")
    args = parser.parse_args()
    app = QApplication(["bench"])
    app.setQuitOnLastWindowClosed(False)  # qasync: closing the window must not stop the loop
    temp = Path(tempfile.mkdtemp(prefix="bench-browse-"))
    try:
        data_dir = temp / "data"
        _big, words = seed(data_dir, args.conversations)
        store = ConversationStore(data_dir)
        store.open()
        ids = [s.id for s in store.summaries()]
        store.close()

        from desktop_chat.event_loop import EventLoop

        loop = EventLoop(app)
        asyncio.set_event_loop(loop)
        queries = [words[0], words[5], words[200], f"{words[1]} {words[60]}", "cancion"]
        with loop:
            keystrokes = loop.run_until_complete(search_keystrokes(data_dir, queries))

        store = ConversationStore(data_dir)
        store.open()
        figures: dict[str, str] = {}
        for fmt in (ExportFormat.MARKDOWN, ExportFormat.HTML, ExportFormat.JSON, ExportFormat.TEXT):
            out = temp / f"export-{fmt.value}"
            elapsed, report = timed(export_conversations, store, ids, fmt, out)
            assert len(report.written) == len(ids)
            figures[f"export_{fmt.value}_ms"] = f"{elapsed:.0f} ms"
        pdf_ids = ids[: args.pdf]
        elapsed, report = timed(
            export_conversations, store, pdf_ids, ExportFormat.PDF, temp / "pdf"
        )
        figures["export_pdf_per_conversation_ms"] = f"{elapsed / len(pdf_ids):.1f} ms"
        chatgpt = temp / "conversations.json"
        chatgpt_export(store, ids, chatgpt)
        store.close()

        fresh = ConversationStore(temp / "imported-json")
        fresh.open()
        elapsed, report = timed(
            lambda: fresh.import_conversations(read_import(temp / "export-json").conversations)
        )
        assert len(report.added) == len(ids)
        figures["import_json_ms"] = f"{elapsed:.0f} ms"
        fresh.close()

        fresh = ConversationStore(temp / "imported-chatgpt")
        fresh.open()
        elapsed, report = timed(
            lambda: fresh.import_conversations(read_import(chatgpt).conversations)
        )
        assert len(report.added) == len(ids)
        figures["import_chatgpt_ms"] = f"{elapsed:.0f} ms"
        elapsed, report = timed(
            lambda: fresh.import_conversations(read_import(chatgpt).conversations)
        )
        assert report.added == []
        figures["reimport_chatgpt_ms"] = f"{elapsed:.0f} ms"
        fresh.close()

        print(f"search_keystroke_ms: {statistics.median(keystrokes):.1f} ms")
        print(f"search_keystroke_max_ms: {max(keystrokes):.1f} ms")
        for name, value in figures.items():
            print(f"{name}: {value}")
    finally:
        shutil.rmtree(temp)


if __name__ == "__main__":
    main()
