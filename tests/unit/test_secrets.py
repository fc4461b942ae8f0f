"""Keys in a real Secret Service (a throwaway GNOME Keyring on a private D-Bus), and what
happens without one."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_chat.secrets import KeyLocation, KeyStorageError, KeyStore
from tests.helpers import secret_service

KEY = "sk-test-secret-0123456789abcdefghijklmnop"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def system_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not secret_service.available():
        if os.environ.get(secret_service.REQUIRED_ENV):
            pytest.fail("gnome-keyring and dbus are required here (see .ci/test)")
        pytest.skip("needs gnome-keyring and dbus-daemon")
    with secret_service.secret_service(tmp_path / "keyring") as env:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        from keyring.backends.SecretService import Keyring

        yield Keyring()


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
    assert store.set("default", KEY, session_only=True) is KeyLocation.SESSION
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
