"""API keys: in the operating system's keyring, or for this session only in memory.

Keychain, Windows Credential Manager or Secret Service keep the key, through `keyring`.
Nothing here writes a key to a log or an exception message. When no keyring is usable
(headless Linux without Secret Service, a locked or refused keyring), `set` refuses with a
message saying why, and the caller may offer `KeyLocation.SESSION` instead, or, after an
explicit warning, `KeyLocation.FILE`: never a silent fallback to something weaker.

Keyring calls may block (D-Bus, an unlock prompt): call them from a worker thread.
"""

from __future__ import annotations

import logging
import threading
from enum import Enum
from typing import Any, Protocol

from .errors import ChatError
from .i18n import translate

SERVICE = "desktop-chat"
"""The keyring's service name; each provider profile is a user name under it."""

log = logging.getLogger(__name__)


class KeyStorageError(ChatError):
    """The keyring could not be used. The message says why, never with the key."""

    kind = "keyring"


class KeyLocation(Enum):
    KEYRING = "keyring"
    SESSION = "session"
    """In memory until the app quits."""
    FILE = "file"
    """In a plain-text file: only on the user's explicit, warned choice."""


class PlaintextStore(Protocol):
    """Where keys go when the user chose an unencrypted file (storage.PlaintextKeyFile)."""

    def get(self, profile: str) -> str | None: ...
    def set(self, profile: str, key: str) -> None: ...
    def delete(self, profile: str) -> None: ...


class KeyStore:
    def __init__(
        self,
        service: str = SERVICE,
        backend: Any = None,
        plaintext: PlaintextStore | None = None,
    ) -> None:
        """`backend`: a `keyring` backend to use instead of the one `keyring` picks;
        `plaintext`: the file for keys the user chose to keep unencrypted."""
        self._service = service
        self._backend = backend
        self._plaintext = plaintext
        self._session: dict[str, str] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"KeyStore(service={self._service!r}, session_keys={len(self._session)})"

    def problem(self) -> str | None:
        """Why the keyring cannot keep keys here, or None when it can (as far as can be
        told without writing to it)."""
        try:
            backend = self._keyring()
        except Exception as exc:  # a broken configuration or backend import
            return _explain(exc)
        from keyring.backends import fail

        if isinstance(backend, fail.Keyring):
            return translate(
                "Secrets",
                "No system keyring is available (on Linux, the Secret Service of GNOME "
                "Keyring or KWallet).",
            )
        return None

    def get(self, profile: str) -> tuple[str, KeyLocation] | None:
        """The profile's key and where it is kept, or None if there is none.

        Looked for in memory, then the keyring, then the plain-text file. A keyring that
        refuses (locked) raises `KeyStorageError` unless the file has the key."""
        with self._lock:
            if profile in self._session:
                return self._session[profile], KeyLocation.SESSION
        refused: KeyStorageError | None = None
        if self.problem() is None:
            try:
                key = self._keyring().get_password(self._service, profile)
            except Exception as exc:
                refused = KeyStorageError(_explain(exc))
            else:
                if key:
                    return key, KeyLocation.KEYRING
        if self._plaintext is not None:
            try:
                key = self._plaintext.get(profile)
            except OSError as exc:
                raise KeyStorageError(
                    translate("Secrets", "The key file could not be read: {reason}").format(
                        reason=exc
                    )
                ) from None
            if key:
                return key, KeyLocation.FILE
        if refused is not None:
            raise refused
        return None

    def set(
        self, profile: str, key: str, location: KeyLocation = KeyLocation.KEYRING
    ) -> KeyLocation:
        """Keep the profile's key where asked, and nowhere else any more."""
        if not key:
            raise ValueError("an empty key is not kept; use delete()")
        if location is KeyLocation.SESSION:
            with self._lock:
                self._session[profile] = key
            log.info("Keeping the key of profile %r for this session only", profile)
            return location
        if location is KeyLocation.FILE:
            if self._plaintext is None:
                raise KeyStorageError(translate("Secrets", "No key file is configured."))
            try:
                self._plaintext.set(profile, key)
            except OSError as exc:
                raise KeyStorageError(
                    translate("Secrets", "The key file could not be written: {reason}").format(
                        reason=exc
                    )
                ) from None
            with self._lock:
                self._session.pop(profile, None)
            self._delete_from_keyring(profile, quietly=True)
            log.warning("Saved the key of profile %r in a plain-text file, as chosen", profile)
            return location
        problem = self.problem()
        if problem is not None:
            raise KeyStorageError(problem)
        try:
            self._keyring().set_password(self._service, profile, key)
        except Exception as exc:
            raise KeyStorageError(_explain(exc)) from None
        with self._lock:
            self._session.pop(profile, None)  # the keyring's copy is the one now
        self._delete_from_file(profile)
        log.info("Saved the key of profile %r in the system keyring", profile)
        return KeyLocation.KEYRING

    def delete(self, profile: str) -> None:
        """Forget the profile's key wherever it is kept."""
        with self._lock:
            self._session.pop(profile, None)
        self._delete_from_file(profile)
        self._delete_from_keyring(profile, quietly=False)

    def _delete_from_keyring(self, profile: str, *, quietly: bool) -> None:
        if self.problem() is not None:
            return
        from keyring.errors import PasswordDeleteError

        try:
            self._keyring().delete_password(self._service, profile)
        except PasswordDeleteError:
            return  # there was none
        except Exception as exc:
            if quietly:
                return
            raise KeyStorageError(_explain(exc)) from None
        log.info("Removed the key of profile %r from the system keyring", profile)

    def _delete_from_file(self, profile: str) -> None:
        if self._plaintext is None:
            return
        try:
            self._plaintext.delete(profile)
        except OSError as exc:
            raise KeyStorageError(
                translate("Secrets", "The key file could not be changed: {reason}").format(
                    reason=exc
                )
            ) from None

    def _keyring(self) -> Any:
        if self._backend is None:
            import keyring  # ~30 ms with its backends: loaded when first needed

            self._backend = keyring.get_keyring()
        return self._backend


def _explain(exc: Exception) -> str:
    """The user's message for a keyring failure. Only the exception's type is used:
    a backend's message could quote what it was given."""
    name = type(exc).__name__
    if "Locked" in name:
        return translate("Secrets", "The system keyring is locked. Unlock it, then try again.")
    if "NoKeyring" in name:
        return translate("Secrets", "No system keyring is available.")
    return translate("Secrets", "The system keyring refused the request ({error}).").format(
        error=name
    )
