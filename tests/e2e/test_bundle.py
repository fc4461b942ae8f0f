"""The packaged app, as users get it: the onedir bundle built by installer.spec, started on
a real (virtual) X display against the test server, typed into with xdotool."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_chat import __version__
from tests.helpers.display import virtual_display
from tests.helpers.openai_server import FakeOpenAIServer, answer_for
from tests.helpers.processes import app_log, wait_for

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = (
    ROOT / "dist" / "desktop-chat" / ("desktop-chat.exe" if os.name == "nt" else "desktop-chat")
)
REQUIRED_ENV = "DESKTOP_CHAT_REQUIRE_BUNDLE"
"""Set by CI, which builds the bundle first: a missing bundle fails instead of skipping."""
QUESTION = "Hello from the bundle"


def _bundle() -> Path:
    if not BUNDLE.exists():
        if os.environ.get(REQUIRED_ENV):
            pytest.fail(f"{BUNDLE} is missing: build it with `pyinstaller installer.spec`")
        pytest.skip("the bundle is not built (pyinstaller installer.spec)")
    return BUNDLE


@pytest.fixture
def display() -> Iterator[str]:
    with virtual_display() as name:
        yield name


def test_the_bundle_reports_its_version() -> None:
    result = subprocess.run(
        [str(_bundle()), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"desktop-chat {__version__}"


def test_the_bundle_chats_on_a_real_display_and_quits_cleanly(
    display: str, tmp_path: Path, openai_server: FakeOpenAIServer
) -> None:
    bundle = _bundle()
    data = tmp_path / "data"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QT_", "OPENAI_", "DESKTOP_CHAT_"))
    }
    env.update(DISPLAY=display, OPENAI_BASE_URL=openai_server.base_url)
    app = subprocess.Popen(
        [str(bundle), "--data-dir", str(data)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def logged(text: str) -> bool:
        return text in app_log(data)

    try:
        wait_for(lambda: logged("Desktop Chat ready") or app.poll() is not None, "the window")
        assert app.poll() is None, app.communicate()
        xdotool = {**env, "DISPLAY": display}
        window = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", "Desktop Chat"],
            capture_output=True,
            text=True,
            timeout=30,
            env=xdotool,
            check=True,
        ).stdout.split()[0]
        subprocess.run(["xdotool", "windowfocus", "--sync", window], env=xdotool, check=True)
        subprocess.run(
            ["xdotool", "type", "--delay", "15", QUESTION], env=xdotool, check=True, timeout=60
        )
        subprocess.run(["xdotool", "key", "Return"], env=xdotool, check=True)

        def replied() -> bool:
            for path in (data / "conversations").glob("*.json"):
                messages = json.loads(path.read_text(encoding="utf-8"))["messages"]
                if messages and messages[-1]["status"] == "complete" and len(messages) == 2:
                    return True
            return False

        wait_for(replied, "the streamed reply to be saved")
        saved = json.loads(next((data / "conversations").glob("*.json")).read_text())
        assert saved["messages"][0]["content"] == QUESTION
        assert saved["messages"][1]["content"] == answer_for(QUESTION)
        assert len(openai_server.chat_requests()) >= 1
        assert openai_server.chat_requests()[0].body["stream"] is True  # type: ignore[index]

        subprocess.run(["xdotool", "key", "ctrl+q"], env=xdotool, check=True)
        assert app.wait(timeout=30) == 0
        assert logged("Desktop Chat stopped cleanly")
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


def test_the_bundle_typesets_formulas_and_exports_them(tmp_path: Path) -> None:
    """The math font and the parsers' data travel in the bundle: a PDF printed by it shows
    a formula typeset (no LaTeX left in its text), the HTML page has it as MathML."""
    from desktop_chat.domain import Message, Role
    from tests.helpers.conversations import make_conversation, save_conversations

    bundle = _bundle()
    conversation = make_conversation("Math")
    conversation.messages.append(
        Message(role=Role.ASSISTANT, content="Half: $$\\frac{1}{2}$$ and $x^2$, done.")
    )
    data = tmp_path / "data"
    save_conversations(data, conversation)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "DESKTOP_CHAT_"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    for fmt in ("pdf", "html"):
        result = subprocess.run(
            [str(bundle), "--data-dir", str(data), "export", conversation.id,
             "--format", fmt, "--out", str(tmp_path / f"math.{fmt}")],
            capture_output=True, text=True, timeout=120, env=env, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    page = (tmp_path / "math.html").read_text(encoding="utf-8")
    assert "<math" in page and "<mfrac>" in page
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "math.pdf"), "-"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert "Half:" in text and "done." in text
        assert "\\frac" not in text and "x^2" not in text


def _children(pid: int) -> dict[int, str]:
    """The processes `pid` started, with their command lines (Linux)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_text()
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_bundle_typesets_formulas_on_screen_in_a_process_it_ends(
    display: str, tmp_path: Path
) -> None:
    """The window's typesetter is a process of the bundle's own (multiprocessing in a
    frozen app): it starts for the first formula shown, and ends with the app."""
    from PySide6.QtCore import QSettings

    from desktop_chat.domain import Message, Role
    from tests.helpers.conversations import make_conversation, save_conversations

    bundle = _bundle()
    conversation = make_conversation("Math on screen")
    conversation.messages.append(
        Message(role=Role.ASSISTANT, content="Area $\\pi r^2$, and\n\n$$\n\\frac{1}{2}\n$$\n")
    )
    data = tmp_path / "data"
    save_conversations(data, conversation)
    state = QSettings(str(data / "config" / "desktop-chat.ini"), QSettings.Format.IniFormat)
    state.setValue("window/conversation", conversation.id)  # open at launch
    state.sync()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "DESKTOP_CHAT_"))}
    env.update(DISPLAY=display, OPENAI_BASE_URL="http://127.0.0.1:9/v1", OPENAI_API_KEY="k")
    app = subprocess.Popen(
        [str(bundle), "--data-dir", str(data)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: "Desktop Chat ready" in app_log(data) or app.poll() is not None, "ready")
        assert app.poll() is None, app.communicate()
        wait_for(lambda: _children(app.pid), "the typesetter process")
        typesetter = next(iter(_children(app.pid)))
        assert "multiprocessing" in _children(app.pid)[typesetter]
        xdotool = {**env, "DISPLAY": display}
        window = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", "Desktop Chat"],
            capture_output=True, text=True, timeout=30, env=xdotool, check=True,
        ).stdout.split()[0]  # fmt: skip
        subprocess.run(["xdotool", "windowfocus", "--sync", window], env=xdotool, check=True)
        subprocess.run(["xdotool", "key", "ctrl+q"], env=xdotool, check=True)
        assert app.wait(timeout=30) == 0
        wait_for(lambda: not Path(f"/proc/{typesetter}").exists(), "the typesetter to end")
        assert "typesetter stopped" not in app_log(data)
        assert "Formula shown as source" not in app_log(data)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
