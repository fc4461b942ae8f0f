"""A throwaway Secret Service: a private D-Bus session bus with an unlocked GNOME Keyring
whose data lives in a temporary folder. The machine's own keyring is never touched."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REQUIRED_ENV = "DESKTOP_CHAT_REQUIRE_KEYRING"
"""Set (by CI) to make a missing gnome-keyring a failure instead of a skip."""


def available() -> bool:
    return all(shutil.which(tool) for tool in ("dbus-daemon", "gnome-keyring-daemon"))


@contextmanager
def secret_service(folder: Path) -> Iterator[dict[str, str]]:
    """Start the bus and the keyring; yields the environment variables that reach them."""
    folder.mkdir(parents=True, exist_ok=True)
    bus = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=20,
    )
    address, pid = bus.stdout.split()[:2]
    env = {
        "DBUS_SESSION_BUS_ADDRESS": address,
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_RUNTIME_DIR": str(folder / "run"),
    }
    for name in ("data", "run"):
        (folder / name).mkdir(mode=0o700, exist_ok=True)
    try:
        # --unlock reads the new keyring's password from stdin: without it, creating the
        # collection would need a GUI prompt.
        subprocess.run(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--daemonize"],
            input="throwaway",
            capture_output=True,
            text=True,
            check=True,
            timeout=20,
            env={**os.environ, **env},
        )
        _wait_until_ready(env)
        yield env
    finally:
        os.kill(int(pid), signal.SIGTERM)  # the keyring daemon quits with its bus


def _wait_until_ready(env: dict[str, str], timeout_s: float = 15.0) -> None:
    """The daemon answers before its default collection exists; a request in between
    fails with InitError. Wait until the collection is there and unlocked."""
    import secretstorage

    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                connection = secretstorage.dbus_init()
                try:
                    if not secretstorage.get_default_collection(connection).is_locked():
                        return
                finally:
                    connection.close()
            except Exception:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.02)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
