"""The chat window under load, offscreen, with the real app objects.

Prints `name: value unit` lines:
  max_stall_ms   longest event-loop stall while a 50,000-character Markdown reply with code
                 blocks, tables, 100 inline and 20 display formulas streams at full speed
                 from the test server into the window (until its code is coloured and its
                 formulas typeset)
  idle_stall_ms  the longest stall of the same loop doing nothing for a second, in the same
                 process just before: the machine's own noise, to judge the stalls against
  math_ms        median time to typeset one of those formulas (on the math worker thread)
  math_ui_max_ms the longest the UI thread spent at once laying out formulas that came back
                 typeset
  frame_ms       median time a frame spends writing, once the reply passes 45,000
                 characters (code is coloured in a turn of its own after the frame)
  frame_max_ms   the slowest such frame
  open_ms        a saved 1,000-message conversation, from the click to its first paint
  open_during_startup_ms
                 the same, clicked as soon as the list is there, while the network stack
                 and the highlighter still load on other threads
  rss_mb         memory with that conversation open and 10,000 conversations in the list
                 (measured in a fresh process)
  open_200k_ms   a saved 200,000-character reply (code, tables, lists), from the click to
                 the first paint of its chat (the rest is written over the next frames)
  max_stall_200k_ms
                 the longest loop stall while that reply opens (until all of it is
                 written) and while it streams in from the test server
  idle_stall_200k_ms
                 the idle loop's longest stall in that reply's process
  quit_with_200k_ms
                 SIGTERM to the end of the process, the real program showing that chat

Usage: python tests/bench/bench_ui.py [--conversations N] [--runs N] [--only-200k]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop_chat.composition import DesktopChat  # noqa: E402
from desktop_chat.event_loop import EventLoop  # noqa: E402
from desktop_chat.main_thread_gc import MainThreadCollector  # noqa: E402
from desktop_chat.paths import AppPaths  # noqa: E402
from tests.bench.bench_stream import StallMeter  # noqa: E402
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply  # noqa: E402

CODE = '''def fibonacci(limit):
    """Yield Fibonacci numbers below limit."""
    a, b = 0, 1
    while a < limit:
        yield a
        a, b = b, a + b


class Cache:
    def __init__(self, size=128):
        self.size = size
        self.items = {}

    def get(self, key, default=None):
        return self.items.get(key, default)
'''


INLINE_FORMULAS = 100
DISPLAY_FORMULAS = 20


def long_reply(target: int = 50_000, formulas: tuple[int, int] = (0, 0)) -> str:
    """Markdown as a model writes it: headings, paragraphs, lists, tables, code; and
    `formulas` (inline, display) spread over the first sections, each one different."""
    rng = random.Random(5)
    words = [
        "the",
        "model",
        "streams",
        "tokens",
        "into",
        "a",
        "window",
        "that",
        "must",
        "never",
        "freeze",
        "while",
        "it",
        "renders",
        "markdown",
        "code",
        "tables",
        "lists",
        "and",
        "quotes",
        "for",
        "a",
        "patient",
        "reader",
    ]
    parts, section = [], 0
    inline, display = formulas
    while sum(map(len, parts)) < target:
        section += 1
        parts.append(f"## Section {section}\n\n")
        sentence = " ".join(rng.choices(words, k=60)).capitalize()
        for k in range(min(3, inline)):
            n = section * 3 + k
            sentence += f" so $a_{{{n}}}^2 + \\frac{{{n}}}{{x+{k}}}$ holds"
            inline -= 1
        parts.append(sentence + ".\n\n")
        if display:
            parts.append(
                f"$$\n\\sum_{{i=1}}^{{{section}}} i^2 = \\frac{{n(n+1)(2n+1)}}{{6}}\n$$\n\n"
            )
            display -= 1
        parts.append("".join(f"- {' '.join(rng.choices(words, k=8))}\n" for _ in range(4)) + "\n")
        parts.append(f"```python\n{CODE}```\n\n")
        parts.append("| Step | Result |\n| --- | --- |\n| one | fast |\n| two | faster |\n\n")
        parts.append("> " + " ".join(rng.choices(words, k=20)) + "\n\n")
    return "".join(parts)


async def stream_into_window(
    chat: DesktopChat, server: FakeOpenAIServer
) -> tuple[float, list, float, float]:
    """(longest stall, frames, the idle loop's longest stall just before, the longest time
    the UI thread spent laying out formulas that came back typeset)."""
    view = chat.window.panel.message_view
    frames: list[tuple[int, float]] = []
    original = view._render_dirty
    math_ui: list[float] = [0.0]
    lay_out = view._math.lay_out_typeset

    def timed_lay_out(deadline: float = float("inf")) -> bool:
        started = time.perf_counter()
        done = lay_out(deadline)
        math_ui.append((time.perf_counter() - started) * 1000)
        return done

    view._math.lay_out_typeset = timed_lay_out  # type: ignore[method-assign]

    def timed_render(deadline: float | None = None) -> None:
        started = time.perf_counter()
        original(deadline)
        messages = chat.service.conversation(chat.window.conversation_id).messages
        if messages:
            frames.append((len(messages[-1].content), (time.perf_counter() - started) * 1000))

    view._render_dirty = timed_render  # type: ignore[method-assign]
    view._frame_timer.timeout.disconnect()
    view._frame_timer.timeout.connect(timed_render)

    reply_text = long_reply(formulas=(INLINE_FORMULAS, DISPLAY_FORMULAS))
    server.enqueue(ScriptedReply(text=reply_text, chunk_chars=4))
    conversation = chat.service.new_conversation()
    conversation.title = "Benchmark"  # no background title request
    chat.window.open_conversation(conversation.id)
    idle = StallMeter()
    idle.start()
    await asyncio.sleep(1.0)
    idle.stop()
    meter = StallMeter()
    done = asyncio.Event()
    chat.service.streaming_changed.connect(lambda cid, on: None if on else done.set())
    meter.start()
    chat.window.panel.composer.send_requested.emit("Write a long answer.")  # as the composer sends
    await done.wait()
    # The last frame, the colouring of the last code block, the last formulas typeset.
    while view.highlighter.pending or not view.fully_rendered:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.5)
    meter.stop()
    assert conversation.messages[-1].content == reply_text
    return meter.longest * 1000, frames, idle.longest * 1000, max(math_ui)


def typeset_times(text: str) -> list[float]:
    """Milliseconds to typeset each formula of `text` (the worker's job, timed here)."""
    from desktop_chat.markdown import parse
    from desktop_chat.render.math import typeset

    typeset("x", False)  # the fonts and the parser loaded once, as the app's warm-up does
    formulas = [
        (t.content, False) for b in parse(text) for t in b.children or () if t.type == "math_inline"
    ]
    formulas += [(b.content, True) for b in parse(text) if b.type == "math_block"]
    times = []
    for latex, display in formulas:
        started = time.perf_counter()
        typeset(latex, display)
        times.append((time.perf_counter() - started) * 1000)
    return times


BIG_CHILD = """
import asyncio, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication
from desktop_chat.composition import DesktopChat
from desktop_chat.event_loop import EventLoop
from desktop_chat.main_thread_gc import MainThreadCollector
from desktop_chat.paths import AppPaths
from tests.bench.bench_stream import StallMeter
app = QApplication([])
loop = EventLoop(app); asyncio.set_event_loop(loop); collector = MainThreadCollector()
async def main():
    paths = AppPaths.resolve({data!r}, {{}}); paths.create()
    chat = DesktopChat(paths, {{"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}})
    chat.window.resize(1100, 720); chat.window.show(); chat.start()
    while not chat.service.is_ready:
        await asyncio.sleep(0.01)
    await asyncio.gather(*chat.startup)
    meter = StallMeter(); idle = StallMeter()
    idle.start(); await asyncio.sleep(1.0); idle.stop()
    meter.start()
    started = time.perf_counter()
    chat.window.open_conversation({big!r})
    while chat.window.panel.message_view.conversation_id != {big!r}:
        await asyncio.sleep(0)
    chat.window.repaint()
    open_ms = (time.perf_counter() - started) * 1000
    while not chat.window.panel.message_view.fully_rendered:
        await asyncio.sleep(0.005)
    await asyncio.sleep(0.2)
    meter.stop()
    print(open_ms, meter.longest * 1000, idle.longest * 1000)
    await chat.shutdown()
with loop:
    loop.run_until_complete(main())
"""


def seed_big_reply(data_dir: Path) -> str:
    """A data folder with one conversation whose reply has 200,000 characters."""
    from desktop_chat.domain import Conversation, Message, Role
    from desktop_chat.storage import encode

    conversation = Conversation(title="A very long reply")
    conversation.messages = [
        Message(role=Role.USER, content="Write everything you know."),
        Message(role=Role.ASSISTANT, content=long_reply(200_000), model="test-model"),
    ]
    folder = data_dir / "conversations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{conversation.id}.json").write_bytes(encode(conversation))
    return conversation.id


def quit_with_big_reply(data_dir: Path, big: str) -> float:
    """Milliseconds from SIGTERM to the real program's exit, with the big chat on screen."""
    import signal

    from PySide6.QtCore import QSettings

    state = QSettings(str(data_dir / "config" / "desktop-chat.ini"), QSettings.Format.IniFormat)
    state.setValue("window/conversation", big)
    state.sync()
    log = data_dir / "logs" / "desktop-chat.log"
    log.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    app = subprocess.Popen(
        [sys.executable, "-m", "desktop_chat", "--data-dir", str(data_dir)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if log.exists() and "Desktop Chat ready" in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.05)
        time.sleep(1.0)  # the chat reopened, its reply being written
        started = time.perf_counter()
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=120)
        return (time.perf_counter() - started) * 1000
    finally:
        if app.poll() is None:
            app.kill()


async def stream_big_reply(chat: DesktopChat, server: FakeOpenAIServer) -> float:
    """The longest stall while a 200,000-character reply streams in at full speed."""
    reply_text = long_reply(200_000)
    server.enqueue(ScriptedReply(text=reply_text, chunk_chars=40))
    conversation = chat.service.new_conversation()
    conversation.title = "Benchmark"
    chat.window.open_conversation(conversation.id)
    meter = StallMeter()
    done = asyncio.Event()
    chat.service.streaming_changed.connect(lambda cid, on: None if on else done.set())
    meter.start()
    # As the composer sends it: the window turns to the conversation, then the service asks.
    chat.window.panel.composer.send_requested.emit("Write a very long answer.")
    await done.wait()
    while not chat.window.panel.message_view.fully_rendered:  # noqa: ASYNC110 (no signal for it)
        await asyncio.sleep(0.005)
    await asyncio.sleep(0.2)
    meter.stop()
    assert conversation.messages[-1].content == reply_text
    return meter.longest * 1000


def big_reply_figures(temp: Path, server: FakeOpenAIServer, runs: int) -> dict[str, float]:
    opens, stalls, idles, quits = [], [], [], []
    for run in range(runs):
        data = temp / f"big-reply-{run}"
        big = seed_big_reply(data)
        code = BIG_CHILD.format(root=str(ROOT), data=str(data), big=big)
        child = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        open_ms, stall_ms, idle_ms = (float(v) for v in child.stdout.split())
        opens.append(open_ms)
        stalls.append(stall_ms)
        idles.append(idle_ms)
        quits.append(quit_with_big_reply(data, big))
    app_loop = asyncio.get_event_loop()
    for run in range(runs):
        paths = AppPaths.resolve(temp / f"big-stream-{run}", {})
        paths.create()
        chat = DesktopChat(paths, {"OPENAI_BASE_URL": server.base_url})
        chat.window.resize(1100, 720)
        chat.window.show()

        async def one(chat: DesktopChat = chat) -> float:
            chat.start()
            await asyncio.gather(*chat.startup)
            try:
                return await stream_big_reply(chat, server)
            finally:
                await chat.shutdown()

        stalls.append(app_loop.run_until_complete(one()))
        chat.window.close()
    return {
        "open_200k_ms": statistics.median(opens),
        "max_stall_200k_ms": statistics.median(stalls),
        "idle_stall_ms": statistics.median(idles),
        "quit_with_200k_ms": statistics.median(quits),
    }


def seed(data_dir: Path, count: int) -> str:
    from tests.bench.bench_store import seed as seed_store

    big_id, _ = seed_store(data_dir, count)
    return big_id


CHILD = """
import asyncio, os, sys, time, resource
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {root!r})
from pathlib import Path
from PySide6.QtWidgets import QApplication
from desktop_chat.composition import DesktopChat
from desktop_chat.event_loop import EventLoop
from desktop_chat.main_thread_gc import MainThreadCollector
from desktop_chat.paths import AppPaths
app = QApplication([])
loop = EventLoop(app); asyncio.set_event_loop(loop); collector = MainThreadCollector()
async def main():
    paths = AppPaths.resolve({data!r}, {{}}); paths.create()
    chat = DesktopChat(paths, {{"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}})
    chat.window.resize(1100, 720); chat.window.show(); chat.start()
    while not chat.service.is_ready:
        await asyncio.sleep(0.01)
    if not {early}:  # the user clicks once start-up is over, not during its first 0.5 s
        await asyncio.gather(*chat.startup)
    started = time.perf_counter()
    chat.window.open_conversation({big!r})
    while chat.window.panel.message_view.conversation_id != {big!r}:
        await asyncio.sleep(0)
    chat.window.repaint()
    open_ms = (time.perf_counter() - started) * 1000
    while not chat.window.panel.message_view.fully_rendered:
        await asyncio.sleep(0.01)
    rss = int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) / 1024
    print(open_ms, rss, chat.window.sidebar.conversation_model.rowCount())
    await chat.shutdown()
with loop:
    loop.run_until_complete(main())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only-200k", action="store_true", help="only the 200,000-char reply")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    loop = EventLoop(app)
    asyncio.set_event_loop(loop)
    loop.install_asyncgen_hooks()
    collector = MainThreadCollector()
    temp = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    server = FakeOpenAIServer().start()
    if args.only_200k:
        try:
            for name, value in big_reply_figures(temp, server, args.runs).items():
                print(f"{name}: {value:.1f} ms")
        finally:
            server.stop()
            collector.stop()
            loop.close()
            shutil.rmtree(temp)
        return
    try:
        stalls, late_frames, idles, math_ui = [], [], [], []
        for run in range(args.runs):
            paths = AppPaths.resolve(temp / f"stream-{run}", {})
            paths.create()
            chat = DesktopChat(paths, {"OPENAI_BASE_URL": server.base_url}, collector)
            chat.window.resize(1100, 720)
            chat.window.show()

            async def one(chat: DesktopChat = chat) -> tuple[float, list, float, float]:
                chat.start()  # as after the first paint: store, network stack, highlighter
                await asyncio.gather(*chat.startup)
                try:
                    return await stream_into_window(chat, server)
                finally:
                    await chat.shutdown()

            stall, frames, idle, math_ui_ms = loop.run_until_complete(one())
            chat.window.close()
            stalls.append(stall)
            idles.append(idle)
            math_ui.append(math_ui_ms)
            late_frames += [ms for length, ms in frames if length >= 45_000]

        big = seed(temp / "big", args.conversations)
        opens: dict[bool, list[float]] = {False: [], True: []}
        rss = 0.0
        for _ in range(args.runs):
            for early in (False, True):
                code = CHILD.format(root=str(ROOT), data=str(temp / "big"), big=big, early=early)
                child = subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, check=True
                )
                open_ms, rss_mb, rows = child.stdout.split()
                opens[early].append(float(open_ms))
                rss = max(rss, float(rss_mb))
                assert int(rows) > args.conversations
        big_figures = big_reply_figures(temp, server, args.runs)
    finally:
        server.stop()
        collector.stop()
        loop.close()
        shutil.rmtree(temp)

    math_times = typeset_times(long_reply(formulas=(INLINE_FORMULAS, DISPLAY_FORMULAS)))
    print(f"max_stall_ms: {statistics.median(stalls):.1f} ms")
    print(f"idle_stall_ms: {statistics.median(idles):.1f} ms")
    print(f"math_ms: {statistics.median(math_times):.1f} ms")
    print(f"math_ui_max_ms: {max(math_ui):.2f} ms")
    print(f"frame_ms: {statistics.median(late_frames):.2f} ms")
    print(f"frame_max_ms: {max(late_frames):.2f} ms")
    print(f"open_ms: {statistics.median(opens[False]):.0f} ms")
    print(f"open_during_startup_ms: {statistics.median(opens[True]):.0f} ms")
    print(f"rss_mb: {rss:.0f} MB")
    for name, value in big_figures.items():
        if name == "idle_stall_ms":
            name = "idle_stall_200k_ms"  # the same idle loop, in the 200k reply's process
        print(f"{name}: {value:.1f} ms")


if __name__ == "__main__":
    main()
