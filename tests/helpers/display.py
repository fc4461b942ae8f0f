"""A virtual X display of our own (Xvfb), as a desktop session would provide."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers.processes import wait_for

REQUIRED_ENV = "DESKTOP_CHAT_REQUIRE_BUNDLE"
"""Set by CI, where Xvfb is installed: a missing Xvfb fails instead of skipping."""


@contextmanager
def virtual_display(size: str = "1280x800x24") -> Iterator[str]:
    """Start Xvfb on a free display number; yields its DISPLAY (":N")."""
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        if os.environ.get(REQUIRED_ENV):
            pytest.fail("Xvfb and xdotool are required here (see .ci/test)")
        pytest.skip("needs Xvfb and xdotool")
    number = 90 + os.getpid() % 400
    while Path(f"/tmp/.X11-unix/X{number}").exists():
        number += 1
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", size, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    try:
        wait_for(socket.exists, "Xvfb")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)
