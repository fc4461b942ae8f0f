"""The layering in STYLE.md, checked by import-linter (contracts in pyproject.toml)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_window_is_built_without_importing_the_network_stack() -> None:
    """`openai` costs ~0.5 s to import; it must load after the window is up."""
    code = (
        "import sys, os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from desktop_chat.composition import DesktopChat\n"
        "from desktop_chat.paths import AppPaths\n"
        "import tempfile\n"
        "paths = AppPaths.resolve(tempfile.mkdtemp(), {}); paths.create()\n"
        "chat = DesktopChat(paths, {})\n"
        "chat.window.show(); app.processEvents()\n"
        "slow = ('openai', 'httpx2', 'pydantic', 'keyring')\n"
        "print(sorted(m for m in slow if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_nothing_slow_is_loaded_before_the_first_paint(tmp_path: Path) -> None:
    """The real program, up to its first paint: only what a window needs is loaded. Not
    the event loop, the store, the settings model, the network, nor PySide6's `Qt`
    namespace (its hundred enums take ~20 ms to build)."""
    code = (
        "import json, sys\n"
        "import PySide6.QtCore as core\n"
        "import desktop_chat.app as app\n"
        "paint = app.show_and_wait_for_paint\n"
        "seen = {}\n"
        "def watched(window):\n"
        "    painted = paint(window)\n"
        "    seen.update(painted=painted, modules=sorted(sys.modules), qt='Qt' in core.__dict__)\n"
        "    return painted\n"
        "app.show_and_wait_for_paint = watched\n"
        f"code = app.main(['--data-dir', {str(tmp_path)!r}, '--quit-after-first-paint'])\n"
        "print(json.dumps({'code': code, **seen}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    *printed, report = result.stdout.splitlines()
    seen = json.loads(report)
    assert printed == ["first-paint", "ready"]
    assert seen["code"] == 0 and seen["painted"]
    slow = {
        "asyncio",
        "qasync",
        "sqlite3",
        "ssl",
        "uuid",
        "logging.handlers",
        "openai",
        "keyring",
        "desktop_chat.composition",
        "desktop_chat.settings",
        "desktop_chat.domain",
        "desktop_chat.service",
        "desktop_chat.storage.store",
        "desktop_chat.ui.conversation.message_view",
        "desktop_chat.ui.conversation.composer",
        "desktop_chat.ui.sidebar.conversation_list",
        "PySide6.QtNetwork",
    }
    assert sorted(slow & set(seen["modules"])) == []
    assert not seen["qt"], "PySide6's Qt namespace was built before the first paint"


def _imported_modules(path: Path) -> set[str]:
    """The modules `path` imports when it runs (names imported for type checking only,
    under `if TYPE_CHECKING:`, load nothing)."""
    import ast

    names: set[str] = set()
    pending: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        pending.extend(ast.iter_child_nodes(node))
    return names


def test_non_ui_modules_use_qt_core_only() -> None:
    """import-linter cannot forbid a sub-package of an external package, so check here.
    (Pictures are decoded and scaled by QtGui's QImage, which needs no display: that is
    desktop_chat/attachments.py's job alone, and the service calls it.)"""
    package = ROOT / "desktop_chat"
    checked = [
        package / "paths.py",
        package / "instance.py",
        package / "event_loop.py",
        *sorted((package / "service").glob("*.py")),
        *sorted((package / "importers").glob("*.py")),
    ]
    for path in checked:
        gui = {
            m
            for m in _imported_modules(path)
            if m.startswith(("PySide6.QtWidgets", "PySide6.QtGui"))
        }
        assert not gui, f"{path.name} imports {gui}"


def test_exports_never_use_widgets() -> None:
    """The PDF is printed with QtGui's text layout; nothing in exports needs a widget."""
    for path in sorted((ROOT / "desktop_chat" / "export").glob("*.py")):
        widgets = {m for m in _imported_modules(path) if m.startswith("PySide6.QtWidgets")}
        assert not widgets, f"{path.name} imports {widgets}"


def test_no_hand_written_module_is_over_500_lines() -> None:
    """A module that long does several things: each should have a home of its own."""
    longest = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "desktop_chat").rglob("*.py")
        if path.name != "resources_rc.py"  # generated by pyside6-rcc
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert longest == {}
