"""Keys in a real Secret Service (a throwaway GNOME Keyring on a private D-Bus), and what
happens without one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop_chat.secrets import KeyLocation, KeyStorageError, KeyStore

KEY = "sk-test-secret-0123456789abcdefghijklmnop"
ROOT = Path(__file__).resolve().parents[2]


def test_a_key_is_kept_in_the_system_keyring_across_restarts_and_removed(
    system_keyring: Any, tmp_path: Path
) -> None:
    store = KeyStore(service="desktop-chat-test", backend=system_keyring)
    assert store.problem() is None
    assert store.set("default", KEY) is KeyLocation.KEYRING
    restarted = KeyStore(service="desktop-chat-test", backend=system_keyring)
    assert restarted.get("default") == (KEY, KeyLocation.KEYRING)
    assert restarted.get("other profile") is None
    # The keyring's own file keeps it encrypted: the key is nowhere in plain text.
    for path in (tmp_path / "keyring").rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    restarted.delete("default")
    assert KeyStore(service="desktop-chat-test", backend=system_keyring).get("default") is None
    restarted.delete("default")  # removing what is not there is fine


def test_without_a_keyring_the_key_is_refused_plainly_or_kept_for_the_session() -> None:
    from keyring.backends import fail

    store = KeyStore(backend=fail.Keyring())
    problem = store.problem()
    assert problem is not None and "No system keyring" in problem
    with pytest.raises(KeyStorageError, match="No system keyring"):
        store.set("default", KEY)
    assert store.get("default") is None
    assert store.set("default", KEY, KeyLocation.SESSION) is KeyLocation.SESSION
    assert store.get("default") == (KEY, KeyLocation.SESSION)
    assert KEY not in repr(store)
    store.delete("default")
    assert store.get("default") is None


def test_with_no_session_bus_keyring_picks_no_backend_and_the_app_says_so() -> None:
    hidden = ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from desktop_chat.secrets import KeyStore\n"
        "print(KeyStore().problem())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "No system keyring is available" in result.stdout


class _RefusingKeyring:
    """A keyring that fails the way locked ones do, quoting what it was given."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise _KeyringLockedError(f"cannot read {service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise _KeyringLockedError(f"refused to store {password}")

    def delete_password(self, service: str, username: str) -> None:
        raise _KeyringLockedError("locked")


class _KeyringLockedError(Exception):
    pass


def test_a_locked_keyring_is_explained_without_the_key() -> None:
    store = KeyStore(backend=_RefusingKeyring())
    with pytest.raises(KeyStorageError) as refused:
        store.set("default", KEY)
    assert "locked" in refused.value.message
    assert KEY not in str(refused.value) and refused.value.__cause__ is None
    with pytest.raises(KeyStorageError):
        store.get("default")


def test_a_key_in_a_plaintext_file_only_when_asked_and_readable_by_its_owner_only(
    tmp_path: Path,
) -> None:
    from keyring.backends import fail

    from desktop_chat.storage.key_file import PlaintextKeyFile

    key_file = PlaintextKeyFile(tmp_path / "config")
    store = KeyStore(backend=fail.Keyring(), plaintext=key_file)
    with pytest.raises(KeyStorageError):
        store.set("default", KEY)  # never a silent fallback to the file
    assert not key_file.path.exists()
    assert store.set("default", KEY, KeyLocation.FILE) is KeyLocation.FILE
    assert key_file.path.stat().st_mode & 0o777 == 0o600
    assert KeyStore(backend=fail.Keyring(), plaintext=key_file).get("default") == (
        KEY,
        KeyLocation.FILE,
    )
    store.delete("default")
    assert store.get("default") is None
    assert not key_file.path.exists()


def test_saving_in_the_keyring_removes_the_plaintext_copy(
    system_keyring: Any, tmp_path: Path
) -> None:
    from desktop_chat.storage.key_file import PlaintextKeyFile

    key_file = PlaintextKeyFile(tmp_path / "config")
    store = KeyStore(service="desktop-chat-test", backend=system_keyring, plaintext=key_file)
    store.set("default", "sk-old-key-in-a-file-000000000000", KeyLocation.FILE)
    store.set("default", KEY)
    assert store.get("default") == (KEY, KeyLocation.KEYRING)
    assert not key_file.path.exists()
    assert KEY not in repr(store) and KEY not in repr(key_file)
