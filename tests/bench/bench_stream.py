"""Streaming through the app versus the raw SDK, on the same server and the same loop.

Prints `name: value unit` lines (medians of several runs, offscreen, no window):
  stream_ratio           app pipeline time / raw AsyncOpenAI time for a 5,000-chunk stream
  added_first_token_ms   extra time to the first token through the app
  max_stall_ms           longest event-loop stall while the app streams at full speed
  raw_max_stall_ms       the same, while the bare SDK reads the same stream on the same loop
  reasoning_stream_ratio, reasoning_max_stall_ms, reasoning_raw_max_stall_ms
                         the same three for a stream of 2,500 chunks of thoughts
                         (`reasoning_content`) then 2,500 of answer

Usage: python tests/bench/bench_stream.py [--chunks N] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop_chat.api import ChatClient, Endpoint  # noqa: E402
from desktop_chat.domain import MessageStatus  # noqa: E402
from desktop_chat.event_loop import EventLoop  # noqa: E402
from desktop_chat.images import ImageThread  # noqa: E402
from desktop_chat.secrets import KeyStore  # noqa: E402
from desktop_chat.service import (  # noqa: E402
    AttachmentService,
    ChatService,
    SettingsService,
    StoreThread,
)
from desktop_chat.storage import ConversationStore  # noqa: E402
from desktop_chat.storage.settings_file import SettingsFile  # noqa: E402
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply  # noqa: E402

QUESTION = [{"role": "user", "content": "Stream, please."}]


class StallMeter:
    """The longest gap between turns of the event loop, seen by a 0 ms timer."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now


async def raw_stream(client: Any) -> tuple[float, float]:
    """(seconds to the first token, seconds in all) with the SDK alone (thoughts in
    `reasoning_content` read too, as a client that shows them must)."""
    started = time.perf_counter()
    first = 0.0
    stream = await client.chat.completions.create(
        model="m", messages=QUESTION, stream=True, stream_options={"include_usage": True}
    )
    text, thoughts = [], []
    async with stream:
        async for chunk in stream:
            for choice in chunk.choices:
                delta = choice.delta
                if delta is None:
                    continue
                thought = getattr(delta, "reasoning_content", None)
                if thought:
                    thoughts.append(thought)
                if delta.content or thought:
                    if not first:
                        first = time.perf_counter() - started
                    if delta.content:
                        text.append(delta.content)
    total = time.perf_counter() - started
    return first, total


async def app_stream(service: ChatService) -> tuple[float, float]:
    """(seconds to the first token, seconds in all) through the service, as the window uses it."""
    conversation = service.new_conversation()
    conversation.title = "Benchmark"  # a title of its own: no background title request
    first_seen = asyncio.Event()
    done = asyncio.Event()

    def changed(message_id: str) -> None:
        reply = conversation.messages[-1]
        if (reply.content or reply.reasoning) and not first_seen.is_set():
            first_seen.set()

    def streaming(running: bool) -> None:
        if not running:
            done.set()

    events = service.events(conversation.id)  # as the window's panel follows its chat
    events.message_changed.connect(changed)
    events.streaming_changed.connect(streaming)
    started = time.perf_counter()
    service.send(conversation.id, "Stream, please.")
    await first_seen.wait()
    first = time.perf_counter() - started
    await done.wait()
    total = time.perf_counter() - started
    events.message_changed.disconnect(changed)
    events.streaming_changed.disconnect(streaming)
    assert service.conversation(conversation.id).messages[-1].status is MessageStatus.COMPLETE
    return first, total


async def measure(chunks: int, runs: int) -> None:
    server = FakeOpenAIServer().start()
    long_text = "tok " * chunks
    data_dir = Path(tempfile.mkdtemp(prefix="bench-stream-"))
    store = ConversationStore(data_dir)
    client = ChatClient(Endpoint())
    environ = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "k"}
    settings = SettingsService(SettingsFile(data_dir), KeyStore(), client, environ)
    images = ImageThread()
    attachments = AttachmentService(store.attachments, images)
    service = ChatService(StoreThread(store), client, settings, attachments)
    await service.start()
    client.preload_module()
    meter = StallMeter()
    import openai

    # Like the app's client, one client that keeps its connection between requests.
    raw = openai.AsyncOpenAI(api_key="k", base_url=server.base_url, max_retries=0)
    raw_firsts: list[float] = []
    app_firsts: list[float] = []
    kinds = {
        "": ScriptedReply(text=long_text, chunk_chars=4),
        "reasoning_": ScriptedReply(
            text="tok " * (chunks // 2), reasoning="tok " * (chunks // 2), chunk_chars=4
        ),
    }
    totals: dict[str, dict[str, list[float]]] = {
        kind: {"raw": [], "app": [], "raw_stall": [], "app_stall": []} for kind in kinds
    }
    try:
        await raw_stream(raw)  # warm up connections and imports, not measured
        for _ in range(runs):
            for kind, script in kinds.items():
                found = totals[kind]
                server.enqueue(script)
                meter.start()
                found["raw"].append((await raw_stream(raw))[1])
                meter.stop()
                found["raw_stall"].append(meter.longest)
                server.enqueue(script)
                meter.start()
                found["app"].append((await app_stream(service))[1])
                meter.stop()
                found["app_stall"].append(meter.longest)
            server.enqueue(ScriptedReply(text="short reply"))
            raw_firsts.append((await raw_stream(raw))[0])
            server.enqueue(ScriptedReply(text="short reply"))
            app_firsts.append((await app_stream(service))[0])
    finally:
        await raw.close()
        await service.shutdown()
        images.shutdown()
        server.stop()

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    added_first = (statistics.median(app_firsts) - statistics.median(raw_firsts)) * 1000
    for kind, found in totals.items():
        ratio = statistics.median(found["app"]) / statistics.median(found["raw"])
        print(f"{kind}stream_ratio: {ratio:.2f} x")
        print(f"{kind}max_stall_ms: {ms(found['app_stall']):.1f} ms")
        print(f"{kind}raw_max_stall_ms: {ms(found['raw_stall']):.1f} ms")
        if not kind:
            print(f"added_first_token_ms: {added_first:.2f} ms")
            print(f"raw_stream_ms: {ms(found['raw']):.0f} ms")
            print(f"app_stream_ms: {ms(found['app']):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    loop = EventLoop(app)
    asyncio.set_event_loop(loop)
    loop.install_asyncgen_hooks()
    with loop:
        loop.run_until_complete(measure(args.chunks, args.runs))


if __name__ == "__main__":
    main()
