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

LOGIN_KEYRING = Path(__file__).resolve().parents[1] / "data" / "keyring" / "login.keyring"
"""An empty GNOME keyring whose password is "throwaway"."""
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
    # An empty login keyring made beforehand, encrypted with the password given below: the
    # daemon opens it instead of making one as it starts (which needs fresh randomness, slow
    # on a new machine).
    keyrings = folder / "data" / "keyrings"
    keyrings.mkdir(mode=0o700, exist_ok=True)
    shutil.copyfile(LOGIN_KEYRING, keyrings / "login.keyring")
    try:
        # --unlock reads the login keyring's password from stdin: without it, unlocking
        # would need a GUI prompt.
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


def _wait_until_ready(env: dict[str, str], timeout_s: float = 60.0) -> None:
    """Wait until the daemon has made its login collection, unlocked, the default.

    Only questions that change nothing are asked meanwhile. Asking for the default
    collection before it exists (as `get_default_collection` does) makes the daemon start
    creating one, behind a password prompt no one can answer here, which it dismisses after
    ~20 s: that was the flaky failure. A busy machine only makes this wait longer."""
    from secretstorage import Collection, dbus_init
    from secretstorage.defines import SS_PATH, SS_PREFIX
    from secretstorage.util import DBusAddressWrapper

    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        connection = dbus_init()
        try:
            service = DBusAddressWrapper(SS_PATH, SS_PREFIX + "Service", connection)
            deadline = time.monotonic() + timeout_s
            while True:
                path = service.call("ReadAlias", "s", "default")[0]
                if path != "/" and not Collection(connection, path).is_locked():
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError("the throwaway keyring made no default collection")
                time.sleep(0.01)
        finally:
            connection.close()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
