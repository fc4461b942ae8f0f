"""The rule that a logged error fails the test that caused it (tests/helpers/logfail.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TESTS = """
import asyncio
import logging

import pytest

from tests.helpers.logfail import fail_on_error_log  # noqa: F401


def test_logs_an_error():
    logging.getLogger("desktop_chat.example").error("the disk is full")


def test_a_background_task_fails():
    async def fails():
        raise RuntimeError("lost in the background")

    loop = asyncio.new_event_loop()
    loop.set_exception_handler(None)
    task = loop.create_task(fails())
    loop.run_until_complete(asyncio.sleep(0.01))
    del task
    import gc
    gc.collect()
    loop.close()


@pytest.mark.expect_error_log
def test_expects_one():
    logging.getLogger("desktop_chat.example").error("expected")


def test_only_warns():
    logging.getLogger("desktop_chat.example").warning("just a warning")
"""


def test_a_logged_error_fails_its_test_unless_the_test_expects_one(tmp_path: Path) -> None:
    (tmp_path / "test_sample.py").write_text(TESTS, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nmarkers =\n    expect_error_log: expected\n", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA", str(tmp_path)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    out = result.stdout
    assert "ERROR test_sample.py::test_logs_an_error" in out, out
    assert "errors were logged" in out and "the disk is full" in out
    assert "ERROR test_sample.py::test_a_background_task_fails" in out, out
    assert "lost in the background" in out
    assert "PASSED test_sample.py::test_expects_one" in out
    assert "PASSED test_sample.py::test_only_warns" in out
