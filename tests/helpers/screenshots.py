"""The README's screenshots, taken from the real app talking to the test server.

Usage: xvfb-run -a -s "-screen 0 1400x900x24" python -m tests.helpers.screenshots DIR [SCENE…]
(scenes: first-hour, unsaved, main, dark-es, attachments, first-launch, rendering, reasoning;
all by default)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop_chat.composition import DesktopChat
from desktop_chat.event_loop import EventLoop
from desktop_chat.main_thread_gc import MainThreadCollector
from desktop_chat.paths import AppPaths
from desktop_chat.settings import Settings
from desktop_chat.storage.settings_file import SettingsFile
from tests.helpers.conversations import make_conversation, save_conversations
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply

REPLY = '''Here is a small **Fibonacci** helper in Python, and how fast each approach is.

```python
from functools import cache


@cache
def fibonacci(n: int) -> int:
    """The n-th Fibonacci number."""
    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)


print([fibonacci(n) for n in range(10)])
```

| Approach | Time for n = 30 | Memory |
| --- | --- | --- |
| Plain recursion | 0.3 s | small |
| `@cache` | 20 µs | O(n) |
| Loop | 3 µs | O(1) |

> Tip: for very large *n*, use the closed form or fast doubling.

1. Start with the loop: it is the simplest.
2. Reach for `@cache` when the recursion reads better.

See the [Python docs](https://docs.python.org/3/library/functools.html) for more.'''

RATE_LIMITED = ScriptedReply(
    status=429,
    error={
        "error": {
            "message": "Rate limit reached for requests",
            "type": "requests",
            "param": None,
            "code": "rate_limit_exceeded",
        }
    },
    headers={"retry-after": "600"},
)
SAMPLES = [  # (title, minutes since last used, pinned): one or two per group
    ("Trip to Lisbon: three-day plan", 60 * 24 * 40, True),
    ("¿Qué es un chatbot?", 30, False),
    ("Regex for ISO dates", 90, False),
    ("Explain async/await in Python", 60 * 26, False),
    ("Birthday message for Ana", 60 * 24 * 3, False),
    ("SQL: top customers per month", 60 * 24 * 5, False),
    ("Learning plan: linear algebra", 60 * 24 * 20, False),
    ("Recipe: vegan paella", 60 * 24 * 70, False),
]


def seed(data: Path) -> None:
    conversations = []
    for title, minutes, pinned in SAMPLES:
        conversation = make_conversation(title, updated_minutes_ago=minutes)
        conversation.pinned = pinned
        conversations.append(conversation)
    save_conversations(data, *conversations)


async def ask(chat: DesktopChat, question: str) -> None:
    done = asyncio.Event()

    def ended(_conversation_id: str, streaming: bool) -> None:
        if not streaming:
            done.set()

    chat.service.streaming_changed.connect(ended)
    chat.window.panel.composer.set_text(question)
    chat.window.panel.composer.button.click()
    await asyncio.wait_for(done.wait(), 20)
    chat.service.streaming_changed.disconnect(ended)
    await asyncio.sleep(0.6)  # the last frame and the code colouring


async def until(condition: Callable[[], bool], seconds: float = 2.0) -> None:
    """Let the app run, then wait until `condition` holds (or `seconds` pass). It runs
    first: what was just started (a Test click) has not changed the window yet."""
    for _ in range(round(seconds / 0.02)):
        await asyncio.sleep(0.02)
        if condition():
            return


@asynccontextmanager
async def demo(
    settings: Settings | None = None,
) -> AsyncIterator[tuple[DesktopChat, FakeOpenAIServer]]:
    """The app on a seeded data folder, talking to the test server, its window shown."""
    server = FakeOpenAIServer(delay=0.002).start()
    data = Path(tempfile.mkdtemp()) / "data"
    seed(data)
    paths = AppPaths.resolve(data, {})
    paths.create()
    if settings is not None:
        SettingsFile(paths.config_dir).save(settings)
    chat = DesktopChat(paths, {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-test"})
    try:
        chat.window.resize(1200, 780)
        chat.window.show()
        chat.start()
        await asyncio.gather(*chat.startup)
        await asyncio.sleep(0.5)
        yield chat, server
    finally:
        await chat.shutdown()
        server.stop()


async def take(out: Path) -> None:
    async with demo() as (chat, server):
        window = chat.window.grab()
        window.save(str(out / "empty-chat.png"))
        window.copy(0, 0, 270, 420).save(str(out / "conversation-list.png"))
        server.enqueue(ScriptedReply(text=REPLY, chunk_chars=12))
        await ask(chat, "Write a Fibonacci function and compare the approaches.")
        chat.window.grab().save(str(out / "long-reply.png"))
        server.enqueue(RATE_LIMITED)
        await ask(chat, "And in Rust?")
        chat.window.grab().save(str(out / "error.png"))
        await take_search(chat, out)


async def take_dark_spanish(out: Path) -> None:
    """The long reply in the dark theme, with the interface in Spanish."""
    async with demo(replace(Settings(), theme="dark", language="es")) as (chat, server):
        chat.window.grab().save(str(out / "dark-es-empty-chat.png"))
        server.enqueue(ScriptedReply(text=REPLY, chunk_chars=12))
        await ask(chat, "Escribe una función de Fibonacci y compara los enfoques.")
        chat.window.grab().save(str(out / "dark-es-long-reply.png"))


async def take_search(chat: DesktopChat, out: Path) -> None:
    """Search results in the sidebar, a result opened at its message, and the export dialog."""
    window = chat.window
    window.panel.new_chat()
    window.sidebar.search.focus_field()
    window.sidebar.search.field.setText("cache")
    await until(lambda: window.sidebar.search.model.rowCount() > 0)
    model = window.sidebar.search.model
    hit = next(r for r in range(model.rowCount()) if model.row(r).message_id)
    results = window.sidebar.search.results
    results.setCurrentIndex(model.index(hit, 0))
    QTest.keyClick(results, Qt.Key.Key_Return)  # opens the result, as Enter does
    await asyncio.sleep(0.6)
    window.grab().save(str(out / "search.png"))
    window.sidebar.search.clear()
    window.library.export_conversations([s.id for s in chat.service.summaries()])
    await asyncio.sleep(0.3)
    assert window.library.export_dialog is not None
    window.library.export_dialog.grab().save(str(out / "export.png"))
    window.library.export_dialog.reject()


async def take_first_launch(out: Path, name: str, *, settings: bool) -> None:
    """The welcome page of a first launch, and (if `settings`) the Settings dialog."""
    data = Path(tempfile.mkdtemp()) / "data"
    paths = AppPaths.resolve(data, {})
    paths.create()
    chat = DesktopChat(paths, {})
    try:
        chat.window.resize(1200, 780)
        chat.window.show()
        chat.start()
        await asyncio.gather(*chat.startup)
        await asyncio.sleep(0.5)
        chat.window.panel.welcome.key.edit.setText("sk-proj-example-key-0123456789")
        await asyncio.sleep(0.2)
        chat.window.grab().save(str(out / f"{name}.png"))
        if not settings:
            welcome = chat.window.panel.welcome
            welcome.use_server.setChecked(True)
            welcome.key.clear()
            welcome.test()  # nothing listens on Ollama's port here
            await asyncio.sleep(0.05)  # the test disables its button when it starts
            await until(welcome.test_button.isEnabled, seconds=5)
            chat.window.grab().save(str(out / f"{name}-server.png"))
            return
        chat.window.open_settings()
        dialog = chat.window.settings_dialog
        assert dialog is not None
        await asyncio.sleep(0.6)
        dialog.grab().save(str(out / "settings.png"))
        dialog.tabs.setCurrentIndex(1)
        await asyncio.sleep(0.2)
        dialog.grab().save(str(out / "settings-chat.png"))
        dialog.reject()
    finally:
        await chat.shutdown()


CHART_REPLY = """The chart compares **monthly sales** for the first half of the year:

- Sales grow steadily from January to April, then dip in May.
- June is the best month, about twice January.

Your `sales.py` computes the same totals; the only slip is the average, which divides by
12 instead of by the number of months with data:

```python
average = sum(totals) / len(totals)
```"""

SALES_CODE = """import csv

totals = []
with open("sales.csv", newline="") as file:
    for row in csv.DictReader(file):
        totals.append(float(row["total"]))

average = sum(totals) / 12
print(f"{len(totals)} months, average {average:.2f}")
"""


def _chart(path: Path) -> Path:
    """A bar chart, as a user might screenshot one."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    image = QImage(1600, 1000, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(QFont("DejaVu Sans", 40, QFont.Weight.Bold))
    painter.drawText(QRect(0, 30, 1600, 80), Qt.AlignmentFlag.AlignCenter, "Monthly sales")
    painter.setFont(QFont("DejaVu Sans", 28))
    values = [40, 55, 62, 78, 66, 84]
    for index, (month, value) in enumerate(zip("JFMAMJ", values, strict=True)):
        left = 180 + index * 220
        height = value * 9
        painter.fillRect(left, 900 - height, 150, height, QColor("#3b82f6"))
        painter.drawText(QRect(left, 910, 150, 60), Qt.AlignmentFlag.AlignCenter, month)
    painter.end()
    image.save(str(path))
    return path


async def take_attachments(out: Path) -> None:
    """A question with a picture and a code file: the composer, then the conversation
    with the picture's preview and the file's card opened."""
    folder = Path(tempfile.mkdtemp())
    chart = _chart(folder / "sales-chart.png")
    code = folder / "sales.py"
    code.write_text(SALES_CODE, encoding="utf-8")
    async with demo() as (chat, server):
        window = chat.window
        window.panel.attaching.attach_files([str(chart), str(code)])
        await until(lambda: len(window.panel.composer.attachments()) == 2)
        window.panel.composer.set_text("What does this chart show, and is my script right?")
        await asyncio.sleep(0.3)
        window.grab().save(str(out / "attachments-composer.png"))
        server.enqueue(ScriptedReply(text=CHART_REPLY, chunk_chars=12))
        await ask(chat, "What does this chart show, and is my script right?")
        question = chat.service.conversation(window.conversation_id).messages[0]
        window.panel.message_view.toggle_file(question.id, 1)
        await asyncio.sleep(0.6)
        window.panel.message_view.verticalScrollBar().setValue(0)
        await asyncio.sleep(0.2)
        window.grab().save(str(out / "attachments.png"))


TABLE_LAST = """Here is the comparison you asked for:

| Cache | Hit rate | Latency |
| :--- | ---: | ---: |
| LRU | 92 % | 1.2 ms |
| LFU | 89 % | 1.4 ms |
"""


async def take_first_hour(out: Path) -> None:
    """What a new user's first hour fixed: a reply ending in a table, streamed and after
    switching chats and back; a server that lists other models than the default; the
    welcome page saying why a test failed, its buttons where they were."""
    async with demo() as (chat, server):
        window = chat.window
        server.enqueue(ScriptedReply(text=TABLE_LAST, chunk_chars=3))
        await ask(chat, "Compare **LRU** and LFU caches in a table")
        streamed = window.conversation_id
        window.grab().save(str(out / "table-streamed.png"))
        window.panel.new_chat()
        await asyncio.sleep(0.2)
        window.open_conversation(streamed)
        await until(lambda: window.panel.message_view.conversation_id == streamed)
        await asyncio.sleep(0.4)
        window.grab().save(str(out / "table-reopened.png"))
    await take_other_server(out)
    data = Path(tempfile.mkdtemp()) / "data"
    paths = AppPaths.resolve(data, {})
    paths.create()
    chat = DesktopChat(paths, {})
    try:
        chat.window.resize(1200, 780)
        chat.window.show()
        chat.start()
        await asyncio.gather(*chat.startup)
        await asyncio.sleep(0.5)
        welcome = chat.window.panel.welcome
        welcome.key.edit.setText("sk-proj-wrong-0123456789")
        welcome.use_server.setChecked(True)
        welcome.test()  # nothing listens on Ollama's port here
        await asyncio.sleep(0.05)
        await until(welcome.test_button.isEnabled, seconds=5)
        chat.window.grab().save(str(out / "welcome-test-failed.png"))
    finally:
        await chat.shutdown()


async def take_other_server(out: Path) -> None:
    """A chat on one server, then Settings switches to another, which lists other models:
    the new chat takes one it offers, and says so."""
    from desktop_chat.settings import Profile

    work, local = FakeOpenAIServer().start(), FakeOpenAIServer().start()
    local.models = ("qwen3-0.6b", "smollm2-135m-instruct")
    profiles = (
        Profile(id="work", name="Work", base_url=work.base_url, needs_key=False),
        Profile(id="local", name="llama.cpp", base_url=local.base_url, needs_key=False),
    )
    data = Path(tempfile.mkdtemp()) / "data"
    paths = AppPaths.resolve(data, {})
    paths.create()
    settings = replace(Settings(), profiles=profiles, active_profile="work")
    SettingsFile(paths.config_dir).save(settings)
    chat = DesktopChat(paths, {})
    try:
        chat.window.resize(1200, 780)
        chat.window.show()
        chat.start()
        await asyncio.gather(*chat.startup)
        await ask(chat, "Hello from the work server")
        await chat.settings.save(replace(chat.settings.settings, active_profile="local"), {})
        chat.window.panel.new_chat()
        await until(lambda: chat.window.panel.header.model.currentText() == "qwen3-0.6b", seconds=5)
        await asyncio.sleep(0.3)
        chat.window.grab().save(str(out / "models-offered.png"))
    finally:
        await chat.shutdown()
        work.stop()
        local.stop()


async def take_unsaved(out: Path) -> None:
    """Quitting on a full disk: the question asked; then, after a logout, the recovery
    offered at the next start. Needs root (a small filesystem is mounted)."""
    from tests.helpers.disk_faults import small_disk

    server = FakeOpenAIServer(delay=0.002).start()
    data = Path(tempfile.mkdtemp()) / "data"
    with small_disk(data, "4m") as disk:
        paths = AppPaths.resolve(data, {})
        paths.create()
        env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-test"}
        chat = DesktopChat(paths, env)
        try:
            chat.window.resize(1200, 780)
            chat.window.show()
            chat.start()
            await asyncio.gather(*chat.startup)
            await ask(chat, "Plan a three-day trip to Lisbon")
            disk.fill()
            await ask(chat, "Add a day in Sintra")
            await until(lambda: bool(chat.service.unsaved()), seconds=5)
            chat.window.close()
            await until(lambda: chat.window.quitting.dialog is not None, seconds=2)
            await asyncio.sleep(0.3)
            chat.window.grab().save(str(out / "unsaved-window.png"))
            assert chat.window.quitting.dialog is not None
            chat.window.quitting.dialog.grab().save(str(out / "unsaved-on-quit.png"))
            chat.window.quitting.dialog.reject()
        finally:  # as a logout ends it: what cannot be saved is kept elsewhere
            await chat.shutdown()
        disk.free()
        again = DesktopChat(paths, env)
        try:
            again.window.resize(1200, 780)
            again.window.show()
            again.start()
            await asyncio.gather(*again.startup)
            await until(lambda: again.window.panel.notices.text_of("recovery") is not None)
            await asyncio.sleep(0.3)
            again.window.grab().save(str(out / "recovery-offered.png"))
        finally:
            await again.shutdown()
    server.stop()


SCENES = {
    "first-hour": take_first_hour,
    "unsaved": take_unsaved,
    "main": take,
    "dark-es": take_dark_spanish,
    "attachments": take_attachments,
    "first-launch": lambda out: _with_keyring(out),
    "rendering": lambda out: _rendering(out),
    "reasoning": lambda out: _reasoning(out),
}


async def _reasoning(out: Path) -> None:
    from tests.helpers.reasoning_scene import take_reasoning

    await take_reasoning(out)


async def _rendering(out: Path) -> None:
    from tests.helpers.rendering_scene import take_rendering

    await take_rendering(out)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    chosen = sys.argv[2:] or list(SCENES)
    app = QApplication(["desktop-chat"])
    loop = EventLoop(app)
    asyncio.set_event_loop(loop)
    collector = MainThreadCollector()
    with loop:
        for scene in chosen:
            loop.run_until_complete(SCENES[scene](out))
    collector.stop()


async def _with_keyring(out: Path) -> None:
    """The first launch on a desktop with a keyring (a throwaway one, as in the tests),
    and on one without."""
    import os

    import keyring
    from keyring.backends import fail

    from tests.helpers import secret_service

    keyring.set_keyring(fail.Keyring())
    await take_first_launch(out, "welcome-no-keyring", settings=False)
    if not secret_service.available():
        return
    with secret_service.secret_service(Path(tempfile.mkdtemp())) as env:
        os.environ.update(env)
        from keyring.backends.SecretService import Keyring

        keyring.set_keyring(Keyring())
        await take_first_launch(out, "welcome", settings=True)


if __name__ == "__main__":
    main()
