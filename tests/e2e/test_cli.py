"""The command line, run as a user runs it: list, search, export, import, and its errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.conversations import make_conversation, save_conversations
from tests.helpers.golden import golden_conversation
from tests.helpers.processes import app_log, wait_for

pytestmark = pytest.mark.e2e

ENTRY_POINT = Path(sys.executable).with_name("desktop-chat")
CHATGPT = Path(__file__).resolve().parents[1] / "data" / "chatgpt" / "conversations.json"


def _run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(ENTRY_POINT), "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    save_conversations(
        folder,
        golden_conversation(),
        make_conversation("Regex for ISO dates", answer="Use `\\d{4}-\\d{2}-\\d{2}`."),
    )
    return folder


def test_list_as_text_and_json(data: Path) -> None:
    text = _run(data, "list")
    assert text.returncode == 0, text.stderr
    assert "Regex for ISO dates" in text.stdout
    assert golden_conversation().id in text.stdout
    listed = json.loads(_run(data, "list", "--json").stdout)
    assert {c["title"] for c in listed} == {"Regex for ISO dates", golden_conversation().title}
    golden = next(c for c in listed if c["id"] == golden_conversation().id)
    assert golden["messages"] == 4 and golden["pinned"] is True


def test_a_reader_that_stops_reading_ends_the_command_quietly(data: Path) -> None:
    """`desktop-chat list --json | head -c 10`: the pipe is closed before all is written."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for args in (["list", "--json"], ["list"], ["search", "fibonacci"]):
        command = subprocess.Popen(
            [str(ENTRY_POINT), "--data-dir", str(data), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert command.stdout is not None and command.stderr is not None
        command.stdout.close()  # before the command has written anything
        errors = command.stderr.read().decode()
        assert command.wait(timeout=120) == 0, errors
        assert errors == ""


def test_search_finds_words_in_any_message(data: Path) -> None:
    found = json.loads(_run(data, "search", "fibonacci", "--json").stdout)
    assert found and all(hit["conversation_id"] == golden_conversation().id for hit in found)
    hit = found[0]
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower() == "fibonacci"
    text = _run(data, "search", "ISO dates")
    assert "Regex for ISO dates" in text.stdout and "*ISO*" in text.stdout
    assert "No matches." in _run(data, "search", "zebra").stdout
    # Words only in a reply's thoughts are found, and marked as such.
    [thought] = json.loads(_run(data, "search", "iterative loop", "--json").stdout)
    assert thought["in_reasoning"] is True and thought["role"] == "assistant"
    assert "assistant (reasoning): " in _run(data, "search", "iterative loop").stdout


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "json", "txt"])
def test_export_one_conversation_by_id_prefix_to_a_file(
    data: Path, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"fib.{fmt}"
    result = _run(
        data, "export", golden_conversation().id[:8], "--format", fmt, "--out", str(target)
    )
    assert result.returncode == 0, result.stderr
    assert f"Exported 1 conversation to {target}" in result.stdout
    content = target.read_bytes()
    if fmt == "pdf":
        assert content.startswith(b"%PDF-")
    else:
        assert "Fibonacci" in content.decode("utf-8")


def test_export_all_into_a_folder_then_import_elsewhere(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "exported"
    result = _run(data, "export", "--all", "--format", "json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "Fibonacci fast versions notes.json",
        "Regex for ISO dates.json",
    ]
    elsewhere = tmp_path / "elsewhere"
    imported = _run(elsewhere, "import", str(out))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 2 conversations from Desktop Chat JSON files." in imported.stdout
    again = _run(elsewhere, "import", str(out))
    assert "Imported 0 conversations from Desktop Chat JSON files (2 already here)." in again.stdout
    assert len(json.loads(_run(elsewhere, "list", "--json").stdout)) == 2


def test_import_a_chatgpt_export(tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    result = _run(data, "import", str(CHATGPT))
    assert result.returncode == 0, result.stderr
    assert "Imported 3 conversations from a ChatGPT export." in result.stdout
    titles = [c["title"] for c in json.loads(_run(data, "list", "--json").stdout)]
    assert "Trip to Lisbon" in titles and "Plot a sine wave" in titles


def test_errors_go_to_stderr_with_a_non_zero_status(data: Path, tmp_path: Path) -> None:
    unknown = _run(data, "export", "nope1234", "--format", "md", "--out", str(tmp_path / "x.md"))
    assert unknown.returncode == 2 and "No conversation has the id 'nope1234'" in unknown.stderr
    assert unknown.stdout == ""
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello", encoding="utf-8")
    refused = _run(data, "import", str(bogus))
    assert refused.returncode == 2 and "notes.txt is not valid JSON" in refused.stderr
    missing = _run(data, "import", str(tmp_path / "nowhere.zip"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    wrong_format = _run(data, "export", "--all", "--format", "docx", "--out", str(tmp_path))
    assert wrong_format.returncode == 2 and "invalid choice" in wrong_format.stderr
    empty = _run(tmp_path / "empty", "export", "--all", "--format", "md", "--out", str(tmp_path))
    assert empty.returncode == 2 and "no conversations" in empty.stderr


def test_reading_works_beside_the_running_app_and_import_waits_for_it(data: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen(
        [str(ENTRY_POINT), "--data-dir", str(data)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: "Desktop Chat ready" in app_log(data), "the app to start")
        listed = _run(data, "list", "--json")
        assert listed.returncode == 0, listed.stderr
        assert len(json.loads(listed.stdout)) == 2
        assert _run(data, "search", "fibonacci", "--json").returncode == 0
        busy = _run(data, "import", str(CHATGPT))
        assert busy.returncode == 3
        assert "is running" in busy.stderr and "File ▸ Import" in busy.stderr
    finally:
        app.send_signal(signal.SIGTERM)
        app.communicate(timeout=20)
