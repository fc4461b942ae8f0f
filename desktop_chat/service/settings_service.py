"""Settings and the connection they make: which server, which key, which proxy.

The settings file, the environment and the key store meet here and become the `Endpoint`
the chat client uses. `OPENAI_API_KEY` wins over a stored key and `OPENAI_BASE_URL` over
the active profile's base URL, as power users expect. Keyring calls can block (D-Bus, an
unlock prompt), so they run on a thread of their own; nothing here blocks the window.
Keys pass through, never stay: only the endpoint in use holds one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from ..api import API_KEY_ENV, BASE_URL_ENV, ChatClient, Endpoint
from ..errors import ChatError
from ..i18n import number, translate
from ..secrets import KeyLocation, KeyStorageError, KeyStore
from ..settings import Profile, ProxyMode, Settings
from ..storage.settings_file import SettingsFile

log = logging.getLogger(__name__)

T = TypeVar("T")


class KeySource(StrEnum):
    UNKNOWN = "unknown"
    """Not looked up yet (the keyring is read once the window is up)."""
    ENVIRONMENT = "environment"
    KEYRING = "keyring"
    SESSION = "session"
    FILE = "file"
    NONE = "none"


_SOURCE_OF = {
    KeyLocation.KEYRING: KeySource.KEYRING,
    KeyLocation.SESSION: KeySource.SESSION,
    KeyLocation.FILE: KeySource.FILE,
}


@dataclass(frozen=True)
class KeyStatus:
    """Where a profile's key comes from, without the key."""

    source: KeySource
    problem: str | None = None
    """Why the key store could not be read, when it could not."""


@dataclass(frozen=True)
class KeyChange:
    """A key to keep for a profile (`key`), or to remove (`key` None)."""

    key: str | None = field(repr=False)
    location: KeyLocation = KeyLocation.KEYRING

    def __repr__(self) -> str:
        what = "remove" if self.key is None else "<key>"
        return f"KeyChange({what}, {self.location.value})"


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str


@dataclass(frozen=True)
class SaveProblem:
    """Why settings or a key could not be saved, in words for the user."""

    message: str
    key_storage: bool = False
    """The key store refused: another place (this session, a file) may still work."""


class SettingsService(QObject):
    changed = Signal()
    """The settings, or the key in use, changed."""
    connection_changed = Signal()
    """Requests now go to another server, or with another key or proxy."""

    def __init__(
        self,
        settings_file: SettingsFile,
        keys: KeyStore,
        client: ChatClient,
        environ: Mapping[str, str],
    ) -> None:
        super().__init__()
        self._file = settings_file
        self._keys = keys
        self._client = client
        loaded = settings_file.load()
        self._loaded = loaded
        self._settings = loaded.settings
        self._may_overwrite = not loaded.read_only
        self._env_key = (environ.get(API_KEY_ENV) or "").strip() or None
        self._env_base_url = (environ.get(BASE_URL_ENV) or "").strip() or None
        self._source = KeySource.ENVIRONMENT if self._env_key else KeySource.UNKNOWN
        self._key_problem: str | None = None
        self._loading: asyncio.Future[None] | None = None
        # One thread for the keyring: a call waiting on an unlock prompt holds up nothing else.
        self._keyring = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desktop-chat-keys")
        self._client.endpoint = self.endpoint_for(self._settings, self._settings.active, None)

    @property
    def load_notice(self) -> str | None:
        """What to tell the user about how the settings file was read, if anything."""
        return self._loaded.notice

    def __repr__(self) -> str:
        return f"SettingsService({self._settings!r}, key={self._source.value})"

    # --- what is in use --------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def key_source(self) -> KeySource:
        """Where the active profile's key comes from."""
        return self._source

    @property
    def environment_base_url(self) -> str | None:
        """OPENAI_BASE_URL, which replaces the active profile's base URL, if set."""
        return self._env_base_url

    def endpoint_for(self, settings: Settings, profile: Profile, key: str | None) -> Endpoint:
        """Where requests for `profile` go under `settings`, with `key` (the environment's
        key and base URL take its place for the active profile)."""
        active = profile.id == settings.active_profile
        base_url = (active and self._env_base_url) or profile.base_url
        proxy = settings.proxy_url.strip() if settings.proxy_mode is ProxyMode.MANUAL else None
        return Endpoint(
            base_url=base_url,
            api_key=(active and self._env_key) or key,
            proxy=proxy or None,
            direct=settings.proxy_mode is ProxyMode.NONE,
            requires_key=profile.needs_key and not (active and self._env_base_url),
            # OPENAI_BASE_URL may point anywhere: then the server is told by its URL.
            preset="" if (active and self._env_base_url) else profile.preset,
        )

    def setup_problem(self) -> str | None:
        """Why sending cannot work, in words for the user; None when it can (or when the
        key has not been looked up yet: a request waits for that)."""
        if self._source is KeySource.UNKNOWN or not self._client.endpoint.needs_key:
            return None
        name = self._settings.active.name
        if self._key_problem:
            return translate(
                "SettingsService", "The API key for {profile} could not be read: {reason}"
            ).format(profile=name, reason=self._key_problem)
        return translate(
            "SettingsService",
            "No API key is set for {profile}. Add one in Settings (Ctrl+,), or start Desktop "
            "Chat with OPENAI_API_KEY set.",
        ).format(profile=name)

    @property
    def needs_welcome(self) -> bool:
        """No usable connection and nothing saved yet: a first launch, as far as we can tell."""
        return (
            self._source is KeySource.NONE
            and self._key_problem is None
            and self._client.endpoint.needs_key
        )

    # --- loading ---------------------------------------------------------------------

    async def load_key(self) -> None:
        """Look up the active profile's key (once; later calls wait for the same lookup)
        and use it. Never raises: a key store that fails is reported by `setup_problem`."""
        if self._loading is None:
            self._loading = asyncio.ensure_future(self._load_active_key())
        loading = self._loading
        try:
            # Shielded: one caller giving up must not cancel the lookup for the others.
            await asyncio.shield(loading)
        except asyncio.CancelledError:
            if not loading.cancelled():
                raise  # the caller itself was cancelled

    @property
    def key_problem(self) -> str | None:
        """Why the active profile's stored key could not be read (a locked keyring)."""
        return self._key_problem

    async def reload_key(self) -> None:
        """Look up the active profile's key again (the keyring was unlocked meanwhile)."""
        self._loading = asyncio.ensure_future(self._load_active_key())
        await self.load_key()

    async def _load_active_key(self) -> None:
        profile = self._settings.active
        key, source, problem = None, KeySource.ENVIRONMENT, None
        if not self._env_key:
            status, key = await self._stored_key(profile.id)
            source, problem = status.source, status.problem
        self._use(key, source, problem)

    def _use(self, key: str | None, source: KeySource, problem: str | None) -> None:
        before = self._client.endpoint
        self._source, self._key_problem = source, problem  # the key itself: only in the endpoint
        endpoint = self.endpoint_for(self._settings, self._settings.active, key)
        if endpoint != before:
            self._client.endpoint = endpoint
            self.connection_changed.emit()
        self.changed.emit()

    async def _stored_key(self, profile_id: str) -> tuple[KeyStatus, str | None]:
        try:
            found = await self._in_keyring_thread(self._keys.get, profile_id)
        except KeyStorageError as exc:
            return KeyStatus(KeySource.NONE, exc.message), None
        if found is None:
            return KeyStatus(KeySource.NONE), None
        key, location = found
        return KeyStatus(_SOURCE_OF[location]), key

    async def key_status(self, profile_id: str) -> KeyStatus:
        """Where `profile_id`'s key comes from (the environment, the keyring…)."""
        if self._env_key and profile_id == self._settings.active_profile:
            return KeyStatus(KeySource.ENVIRONMENT)
        status, _key = await self._stored_key(profile_id)
        return status

    async def keyring_problem(self) -> str | None:
        """Why the system keyring cannot keep keys here; None when it can."""
        return await self._in_keyring_thread(self._keys.problem)

    # --- changing --------------------------------------------------------------------

    async def save(
        self, settings: Settings, key_changes: Mapping[str, KeyChange]
    ) -> SaveProblem | None:
        """Keep new settings and keys, and use them. Returns why that failed, or None.
        On failure the settings in use and on disk are unchanged."""
        problems = settings.problems()
        if problems:
            return SaveProblem(problems[0])
        # The models last used are remembered here, not edited in the dialog: keep ours.
        settings = replace(
            settings,
            profiles=tuple(
                replace(p, model=current.model) if (current := self._settings.profile(p.id)) else p
                for p in settings.profiles
            ),
        )
        if settings.default_model != self._settings.default_model:
            # A default chosen now is what new chats on this server should start with.
            settings = settings.with_model_used(settings.default_model)
        removed = [p.id for p in self._settings.profiles if settings.profile(p.id) is None]
        changes = {**{pid: KeyChange(None) for pid in removed}, **key_changes}
        for profile_id, change in changes.items():
            try:
                if change.key is None:
                    await self._in_keyring_thread(self._keys.delete, profile_id)
                else:
                    await self._in_keyring_thread(
                        self._keys.set, profile_id, change.key, change.location
                    )
            except KeyStorageError as exc:
                return SaveProblem(exc.message, key_storage=True)
        if settings != self._settings or settings.extra != self._settings.extra:
            if not self._may_overwrite:
                return SaveProblem(
                    translate(
                        "SettingsService",
                        "Your settings file could not be read at start, so it is not "
                        "overwritten. Check {file}, then restart Desktop Chat.",
                    ).format(file=self._file.path)
                )
            try:
                await asyncio.get_running_loop().run_in_executor(None, self._file.save, settings)
            except OSError as exc:
                log.warning("Could not save the settings: %s", exc)
                return SaveProblem(
                    translate(
                        "SettingsService", "The settings could not be saved: {reason}."
                    ).format(reason=exc.strerror or exc)
                )
        self._settings = settings
        await self.reload_key()  # the active profile, or its key, may be another now
        return None

    async def remember_model(self, model: str) -> None:
        """Keep `model` as the one new chats on the active server start with. Best effort:
        a file that cannot be written costs this memory, nothing else."""
        updated = self._settings.with_model_used(model)
        if updated is self._settings or not self._may_overwrite:
            return
        self._settings = updated
        try:
            await asyncio.get_running_loop().run_in_executor(None, self._file.save, updated)
        except OSError as exc:
            log.warning("Could not save the settings: %s", exc)

    async def remove_key(self, profile_id: str) -> SaveProblem | None:
        """Forget `profile_id`'s stored key (keyring, session and file), now."""
        try:
            await self._in_keyring_thread(self._keys.delete, profile_id)
        except KeyStorageError as exc:
            return SaveProblem(exc.message, key_storage=True)
        if profile_id == self._settings.active_profile:
            await self.reload_key()
        return None

    async def check(self, settings: Settings, profile: Profile, key: str | None) -> ConnectionCheck:
        """Try `profile` as it stands in `settings`, with `key` (None: its stored key)."""
        if key is None and not (self._env_key and profile.id == settings.active_profile):
            _status, key = await self._stored_key(profile.id)
        endpoint = self.endpoint_for(settings, profile, key)
        # The SDK takes half a second to import: not on the UI thread.
        await asyncio.get_running_loop().run_in_executor(None, ChatClient.preload_module)
        try:
            count = await self._client.check(endpoint)
        except ChatError as exc:
            return ConnectionCheck(False, exc.message)
        if count:
            return ConnectionCheck(
                True,
                (
                    translate("SettingsService", "It works: {server} answered and offers 1 model.")
                    if count == 1
                    else translate(
                        "SettingsService", "It works: {server} answered and offers {count} models."
                    )
                ).format(server=endpoint.server_name, count=number(count)),
            )
        return ConnectionCheck(
            True,
            translate("SettingsService", "It works: {server} answered.").format(
                server=endpoint.server_name
            ),
        )

    def shutdown(self) -> None:
        """Stop waiting on the keyring: a prompt nobody answers must not hold up quitting."""
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        self._keyring.shutdown(wait=False, cancel_futures=True)

    async def _in_keyring_thread(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._keyring, function, *args)
