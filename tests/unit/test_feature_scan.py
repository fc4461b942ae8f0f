"""Libraries load after PySide6 even when they have lazy module attributes (pydantic's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The pattern pydantic uses: a module-level __getattr__ that imports lazily, reached
# while the module it imports is itself still being imported.
ERRORS = """
class Problem(Exception):
    pass


def __getattr__(name):
    if name == "__path__":
        raise AttributeError(name)
    from lazypkg._helpers import helper

    raise AttributeError(name)
"""
HELPERS = """
from lazypkg.errors import Problem


def helper():
    return Problem
"""
IMPORTER = """
import sys
sys.path[:0] = [{packages!r}, {root!r}]
import PySide6.QtCore
if {disable}:
    from desktop_chat.feature_scan import disable_feature_scan
    assert disable_feature_scan()
    assert disable_feature_scan()  # idempotent
import lazypkg._helpers
print("imported", sys.modules["shibokensupport.feature"].pyside_feature_dict["lazypkg.errors"])
"""


def _import_after_pyside(tmp_path: Path, disable: bool) -> subprocess.CompletedProcess[str]:
    package = tmp_path / "lazypkg"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "errors.py").write_text(ERRORS)
    (package / "_helpers.py").write_text(HELPERS)
    code = IMPORTER.format(packages=str(tmp_path), root=str(ROOT), disable=disable)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_pyside_scan_breaks_lazy_module_attributes(tmp_path: Path) -> None:
    """The failure the app works around, so this test notices when PySide6 fixes it."""
    result = _import_after_pyside(tmp_path, disable=False)
    assert result.returncode != 0
    assert "partially initialized module" in result.stderr


def test_with_the_scan_disabled_the_import_succeeds(tmp_path: Path) -> None:
    result = _import_after_pyside(tmp_path, disable=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["imported", "-1"]
