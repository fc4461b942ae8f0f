"""PySide6 reads the source of every module imported after it; we turn that off.

PySide6 replaces `__import__` and, for each module it has not seen, calls
`inspect.getsource(module)` to learn whether the module mentions PySide6, which only
matters for its opt-in `from __feature__ import snake_case` switches (we use none).

That scan costs ~100 ms when the OpenAI SDK loads (it reads some 750 files), and it can
break the import itself: `getsource` asks each module for `__wrapped__`, a module-level
`__getattr__` (pydantic has them) answers by importing a module that is still half
imported, and `import openai` fails with "cannot import name ... from partially
initialized module". That was seen about once in twenty start-ups.

Marking modules as "ignore" (-1, PySide6's own mark for modules that do not use it)
keeps every module on the default feature set, which is what the app uses everywhere.
A module that does import `__feature__` still gets its own mark: PySide6 records it
before this hook runs.

Importing this module turns the scan off, so the app imports it right after PySide6 and
before its own modules: the scan also cost ~20 ms of their import at start-up.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

import shiboken6  # noqa: F401  (the scan comes with it; turned off below)

IGNORE = -1


def disable_feature_scan() -> bool:
    """Stop PySide6 from inspecting newly imported modules. Returns False if this
    PySide6 has no such scan (nothing to do)."""
    feature: Any = sys.modules.get("shibokensupport.feature")
    features = getattr(feature, "pyside_feature_dict", None)
    if feature is None or not isinstance(features, dict):
        return False
    if getattr(feature.feature_imported, "_desktop_chat", False):
        return True

    def feature_imported(module: ModuleType) -> None:
        name = getattr(module, "__name__", None)
        if isinstance(name, str):
            features.setdefault(name, IGNORE)

    feature_imported._desktop_chat = True  # type: ignore[attr-defined]
    feature.feature_imported = feature_imported
    return True


disable_feature_scan()
