"""Guard against the PySide6 6.12.0 bug on Python < 3.12 (see pyproject.toml).

Each void Qt call or Python slot invocation there drops a reference to None/True/False;
after a few thousand calls the interpreter aborts with `none_dealloc`. If this test fails,
the installed PySide6 has the bug: pin it back.
"""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()


def test_qt_calls_and_slots_do_not_leak_references_to_none_true_false(qapp) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    emitter = _Emitter()
    calls = []
    emitter.fired.connect(lambda: calls.append(None))
    before = [sys.getrefcount(x) for x in (None, True, False)]
    for _ in range(1000):
        label.setText("x")
        label.setEnabled(True)
        label.setVisible(False)
        emitter.fired.emit()
    after = [sys.getrefcount(x) for x in (None, True, False)]
    calls.clear()
    drops = [b - a for b, a in zip(before, after, strict=True)]
    assert all(drop < 100 for drop in drops), f"references lost per object: {drops}"
