"""Exports: golden files for every text format, safe names, inert HTML, a real PDF."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop_chat.export import ExportFormat, export_conversations, render
from desktop_chat.export.names import UniqueNames, safe_file_stem
from desktop_chat.importers import read_import
from desktop_chat.storage import ConversationStore
from tests.helpers.conversations import make_conversation
from tests.helpers.golden import golden_conversation

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "export"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
"""Set UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate format change."""
_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)


def _golden(name: str, produced: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(produced, encoding="utf-8")
    assert produced == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize("fmt", [ExportFormat.MARKDOWN, ExportFormat.TEXT, ExportFormat.JSON])
def test_text_formats_match_their_golden_files(fmt: ExportFormat) -> None:
    _golden(f"golden{fmt.extension}", render(golden_conversation(), fmt).decode("utf-8"))


def test_html_matches_its_golden_file_apart_from_the_style_sheet() -> None:
    page = render(golden_conversation(), ExportFormat.HTML).decode("utf-8")
    # Pygments' colours and token classes change with its version: compared apart.
    stable = _STYLE.sub("<style>…</style>", page, count=1)
    stable = re.sub(r'<span class="[^"]*">|</span>', "", stable)
    _golden("golden.html", stable)


def test_html_is_inert_and_self_contained() -> None:
    page = render(golden_conversation(), ExportFormat.HTML).decode("utf-8")
    body = _STYLE.sub("", page)
    assert "<script" not in body.lower()
    assert "&lt;script&gt;" in body  # the model's and the user's text, shown, not run
    assert "onerror=" not in body.replace("onerror=&quot;", "")  # only as escaped text
    assert not re.search(r"<img\b", body)
    assert "javascript:" not in re.sub(r"&[a-z]+;", "", " ".join(re.findall(r'href="[^"]*"', body)))
    # Only the safe links are links; the image became a link to it, never a fetch.
    assert re.findall(r'href="([^"]*)"', body) == [
        "https://docs.python.org/3/library/functools.html",
        "https://example.com/t.png",
    ]
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "http://" not in _STYLE.sub("", page).replace("https://docs.python.org", "")
    assert "prefers-color-scheme: dark" in page and "@media print" in page
    assert '<span class="k">def</span>' in page  # code coloured


def test_pdf_is_a_real_pdf_with_the_conversation_text(qapp, tmp_path: Path) -> None:
    data = render(golden_conversation(), ExportFormat.PDF)
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "golden.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert 'Fibonacci: "fast" <versions> / notes?' in text
    assert "def fibonacci(n: int) -> int:" in text
    assert "¿Y en Rust? 🦀" in text or "¿Y en Rust?" in text
    assert "This reply stopped early" in text
    # The thoughts, labelled, before the answer they led to.
    assert text.index("Thought for 12 s") < text.index("An iterative loop is simplest")
    assert text.index("An iterative loop is simplest") < text.index("Here is a Fibonacci")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Fibonacci" in info  # the document title


def test_a_pdf_prints_formulas_typeset_not_their_source(qapp, tmp_path: Path) -> None:
    conversation = golden_conversation()
    conversation.messages[1].content = "Half: $$\\frac{1}{2}$$ and $x^2$, priced $5 and $10, done."
    data = render(conversation, ExportFormat.PDF)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "math.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Half:" in text and "done." in text and "$5 and $10" in text
    assert "\\frac" not in text and "x^2" not in text


def test_safe_names_on_every_system() -> None:
    assert (
        safe_file_stem('Fibonacci: "fast" <versions> / notes?') == "Fibonacci fast versions notes"
    )
    assert safe_file_stem("CON") == "_CON"
    assert safe_file_stem("lpt1.txt") == "_lpt1.txt"
    assert safe_file_stem("  ...  ") == "Conversation"
    assert safe_file_stem("trailing dots...") == "trailing dots"
    assert safe_file_stem("tab\tand\nnewline\x00") == "tab and newline"
    long = safe_file_stem("ñ" * 300)
    assert len(long.encode("utf-8")) <= 120 and set(long) == {"ñ"}
    names = UniqueNames({"Notes.md"})
    assert [names.name(t, ".md") for t in ("notes", "Notes", "Other")] == [
        "notes (2).md",
        "Notes (3).md",
        "Other.md",
    ]


def test_export_of_several_goes_into_a_folder_and_json_round_trips(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "data")
    store.open()
    golden = golden_conversation()
    twin = make_conversation(title=golden.title)
    store.save(golden)
    store.save(twin)
    done: list[tuple[int, int]] = []
    report = export_conversations(
        store,
        [golden.id, twin.id],
        ExportFormat.JSON,
        tmp_path / "out",
        progress=lambda d, t: done.append((d, t)),
    )
    assert sorted(p.name for p in report.written) == [
        "Fibonacci fast versions notes (2).json",
        "Fibonacci fast versions notes.json",
    ]
    assert done == [(1, 2), (2, 2)]
    again = read_import(tmp_path / "out")
    assert sorted(c.id for c in again.conversations) == sorted([golden.id, twin.id])
    back = next(c for c in again.conversations if c.id == golden.id)
    assert back == golden  # messages, versions, settings, times: everything


def test_an_export_can_be_cancelled_between_conversations(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "data")
    store.open()
    ids = []
    for number in range(5):
        conversation = make_conversation(title=f"Chat {number}")
        store.save(conversation)
        ids.append(conversation.id)
    written: list[int] = []
    report = export_conversations(
        store,
        ids,
        ExportFormat.MARKDOWN,
        tmp_path / "out",
        progress=lambda done, _total: written.append(done),
        should_stop=lambda: len(written) >= 2,
    )
    assert report.cancelled and len(report.written) == 2
    assert len(list((tmp_path / "out").iterdir())) == 2
