"""The exported HTML opened in a real browser (Debian's headless Chromium): nothing runs."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from desktop_chat.export import ExportFormat, render
from tests.helpers.golden import golden_conversation

pytestmark = pytest.mark.e2e

REQUIRED_ENV = "DESKTOP_CHAT_REQUIRE_BROWSER"
"""Set by CI: a missing Chromium fails the test instead of skipping it."""
ATTACKS = """<script>document.body.dataset.pwned = "script"</script>
<img src="x" onerror="document.body.dataset.pwned = 'onerror'">
<svg onload="document.body.dataset.pwned = 'svg'"></svg>
[a link](javascript:document.body.dataset.pwned='link')
<a href="javascript:document.body.dataset.pwned='anchor'">anchor</a>
<iframe srcdoc="<script>parent.document.body.dataset.pwned='iframe'</script>"></iframe>
```html
<script>document.body.dataset.pwned = "code"</script>
```
"""


class _Elements(HTMLParser):
    """Every element of a document, with its attributes (text stays text)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, [(name, value or "") for name, value in attrs]))


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get(REQUIRED_ENV):
        pytest.fail("Chromium is required here (see .ci/test)")
    pytest.skip("needs Chromium")


def _dom_after_scripts(page: Path, profile: Path) -> str:
    """The document as Chromium leaves it after running whatever it would run."""
    result = subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=2000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_browser_runs_scripts_in_an_ordinary_page(tmp_path: Path) -> None:
    """The control: the same check sees a script that does run."""
    page = tmp_path / "control.html"
    page.write_text(
        "<!DOCTYPE html><html><body><script>document.body.dataset.pwned = 'yes'</script>"
        "</body></html>",
        encoding="utf-8",
    )
    assert 'data-pwned="yes"' in _dom_after_scripts(page, tmp_path / "profile")


def test_nothing_from_a_reply_runs_in_the_exported_page(tmp_path: Path) -> None:
    conversation = golden_conversation()
    conversation.messages[1].content += "\n\n" + ATTACKS
    conversation.messages[0].content += "\n" + ATTACKS
    conversation.title = "<img src=x onerror=\"document.body.dataset.pwned='title'\">"
    page = tmp_path / "export.html"
    page.write_bytes(render(conversation, ExportFormat.HTML))
    dom = _dom_after_scripts(page, tmp_path / "profile")
    elements = _Elements()
    elements.feed(dom)
    assert "data-pwned" not in {
        name for _tag, attributes in elements.found for name, _ in attributes
    }
    assert not {tag for tag, _ in elements.found} & {"script", "img", "svg", "iframe", "object"}
    handlers = [
        (tag, name) for tag, attrs in elements.found for name, _ in attrs if name.startswith("on")
    ]
    assert handlers == []
    links = [value for tag, attrs in elements.found for name, value in attrs if name == "href"]
    assert links and not [link for link in links if not link.startswith(("https:", "http:"))]
    # The attacks are there, as text the reader can see.
    assert "&lt;script&gt;document.body.dataset.pwned" in dom
    assert "Fibonacci" in dom


def test_formulas_reach_the_browser_as_mathml_with_no_script(tmp_path: Path) -> None:
    conversation = golden_conversation()
    conversation.messages[1].content = (
        "Inline $a^2 + b^2 = c^2$ and \\(\\pi r^2\\), and a price of $5 and $10.\n\n"
        "$$\n\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}\n$$\n"
    )
    page = tmp_path / "math.html"
    page.write_bytes(render(conversation, ExportFormat.HTML))
    dom = _dom_after_scripts(page, tmp_path / "profile")
    elements = _Elements()
    elements.feed(dom)
    tags = [tag for tag, _ in elements.found]
    assert tags.count("math") == 3
    displays = [dict(attrs).get("display") for tag, attrs in elements.found if tag == "math"]
    assert displays.count("block") == 1  # the sum, on its own line
    assert {"msup", "mfrac", "munderover"} <= set(tags)  # structure, not an image of it
    assert "script" not in tags
    assert "$5 and $10" in dom  # prices stay text
