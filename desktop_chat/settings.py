"""The app's settings: every option declared once, with its default and its check.

Plain data, no I/O and no secret: API keys live in the OS keyring (`secrets`), never here.
`storage/settings_file.py` reads and writes these as JSON; whatever it reads passes
through `Settings.from_dict`, which keeps every valid value and names every invalid one,
so a damaged or hand-edited file costs a setting, never the app.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from .domain import (
    DEFAULT_MAX_OUTPUT_TOKENS,
    DEFAULT_MODEL,
    DEFAULT_SYSTEM_PROMPT,
    GenerationSettings,
    new_id,
)
from .i18n import translate
from .providers import PRESETS, ProviderProfile, validate_base_url

SETTINGS_VERSION = 1
LANGUAGE_CODES = ("en", "es")
"""The languages the interface is translated into (see resources/translations/)."""
MAX_TEMPERATURE = 2.0
MAX_OUTPUT_TOKENS_LIMIT = 1_000_000
MAX_SYSTEM_PROMPT_CHARS = 100_000
MAX_NAME_CHARS = 100
MAX_MODEL_CHARS = 200


class SendKey(StrEnum):
    ENTER = "enter"
    """Enter sends, Shift+Enter starts a new line (the chat apps' habit)."""
    CTRL_ENTER = "ctrl+enter"
    """Ctrl+Enter sends, Enter starts a new line (for writing long messages)."""


class ProxyMode(StrEnum):
    SYSTEM = "system"
    """HTTP(S)_PROXY from the environment, else the operating system's proxy settings."""
    NONE = "none"
    """Connect directly, whatever the environment or the system say."""
    MANUAL = "manual"
    """The proxy URL in `proxy_url`."""


@dataclass(frozen=True)
class Profile:
    """A server to talk to. Its key, if it needs one, is in the key store under `id`."""

    id: str
    name: str
    base_url: str
    needs_key: bool = True
    preset: str = "custom"
    """The provider preset it was made from (`providers.PRESETS`), or "custom"."""
    model: str = ""
    """The model last used with this server: new chats start with it ("" until one is)."""

    @property
    def key_page(self) -> str | None:
        """Where keys for this provider are created, when known."""
        known = next((p for p in PRESETS if p.id == self.preset), None)
        return known.key_page if known else None

    @classmethod
    def from_preset(cls, provider: ProviderProfile, profile_id: str | None = None) -> Profile:
        return cls(
            id=profile_id or (provider.id if provider.id == "openai" else new_id()),
            name=provider.name,
            base_url=provider.base_url,
            needs_key=provider.needs_key,
            preset=provider.id,
        )

    def problem(self) -> str | None:
        """Why this profile cannot be used as it is, in words for the user."""
        if not self.name.strip():
            return translate("Settings", "Give the profile a name.")
        return validate_base_url(self.base_url)


OPENAI_PROFILE = Profile.from_preset(PRESETS[0])


@dataclass(frozen=True)
class Settings:
    profiles: tuple[Profile, ...] = (OPENAI_PROFILE,)
    active_profile: str = OPENAI_PROFILE.id
    default_model: str = DEFAULT_MODEL
    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    temperature: float | None = None
    """None leaves it to the server."""
    max_output_tokens: int | None = DEFAULT_MAX_OUTPUT_TOKENS
    """None sends no limit."""
    send_key: SendKey = SendKey.ENTER
    proxy_mode: ProxyMode = ProxyMode.SYSTEM
    proxy_url: str = ""
    plaintext_keys: bool = False
    """The user chose, after a warning, to keep keys in an unencrypted file when no system
    keyring is usable. Never set by the app on its own."""
    language: str = "system"
    """"system" (follow the desktop), or a language code of `LANGUAGE_CODES`."""
    theme: str = "system"
    """"system" (follow the desktop's light or dark, live), "light" or "dark"."""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Entries of the file this version does not know (a newer version's): written back
    untouched, so going back and forth between versions loses nothing."""

    @property
    def active(self) -> Profile:
        return next((p for p in self.profiles if p.id == self.active_profile), self.profiles[0])

    def profile(self, profile_id: str) -> Profile | None:
        return next((p for p in self.profiles if p.id == profile_id), None)

    def generation_defaults(self) -> GenerationSettings:
        """How a new conversation's replies are made: with the model last used on the
        active server, else the default model."""
        return GenerationSettings(
            model=self.active.model or self.default_model,
            system_prompt=self.system_prompt,
            temperature=self.temperature,
            max_output_tokens=self.max_output_tokens,
        )

    def problems(self) -> list[str]:
        """What stops these settings from being saved, in words for the user."""
        found: list[str] = []
        for profile in self.profiles:
            problem = profile.problem()
            if problem:
                name = profile.name or translate("Settings", "A profile")
                found.append(
                    translate("Settings", "{profile}: {problem}").format(
                        profile=name, problem=problem
                    )
                )
        if not self.profiles:
            found.append(translate("Settings", "Keep at least one server profile."))
        if len({p.id for p in self.profiles}) != len(self.profiles):
            found.append(translate("Settings", "Two profiles have the same id."))
        if not self.default_model.strip():
            found.append(translate("Settings", "Choose a default model."))
        if self.proxy_mode is ProxyMode.MANUAL:
            problem = validate_proxy_url(self.proxy_url)
            if problem:
                found.append(problem)
        return found

    # --- the file's form -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.extra,
            "version": SETTINGS_VERSION,
            "profiles": [
                {
                    "id": p.id,
                    "name": p.name,
                    "base_url": p.base_url,
                    "needs_key": p.needs_key,
                    "preset": p.preset,
                    **({"model": p.model} if p.model else {}),
                }
                for p in self.profiles
            ],
            "active_profile": self.active_profile,
            "default_model": self.default_model,
            "system_prompt": self.system_prompt,
            "temperature": self.temperature,
            "max_output_tokens": self.max_output_tokens,
            "send_key": self.send_key.value,
            "proxy_mode": self.proxy_mode.value,
            "proxy_url": self.proxy_url,
            "plaintext_keys": self.plaintext_keys,
            "language": self.language,
            "theme": self.theme,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> tuple[Settings, list[str]]:
        """The settings in `data`, and the names of the entries that were not valid (and
        were replaced by their defaults)."""
        defaults = cls()
        values: dict[str, Any] = {}
        invalid: list[str] = []
        for name, check in _CHECKS.items():
            if name not in data:
                continue
            try:
                values[name] = check(data[name])
            except (TypeError, ValueError):
                invalid.append(name)
        profiles, bad_profiles = _profiles(data.get("profiles", None))
        if bad_profiles:
            invalid.append("profiles")
        values["profiles"] = profiles or defaults.profiles
        if values.get("active_profile") not in {p.id for p in values["profiles"]}:
            if "active_profile" in values:
                invalid.append("active_profile")
            values["active_profile"] = values["profiles"][0].id
        if values.get("proxy_mode") is ProxyMode.MANUAL and validate_proxy_url(
            values.get("proxy_url", "")
        ):
            invalid.append("proxy_url")
            values["proxy_mode"], values["proxy_url"] = ProxyMode.SYSTEM, ""
        known = {*_CHECKS, "profiles", "version"}
        extra = {k: v for k, v in data.items() if k not in known}
        return cls(**values, extra=extra), invalid

    def with_model_used(self, model: str) -> Settings:
        """These settings with `model` remembered as the active server's last model."""
        active = self.active
        return self if active.model == model else self.with_profile(replace(active, model=model))

    def with_profile(self, profile: Profile) -> Settings:
        """These settings with `profile` added, or replacing the one with its id."""
        kept = [p for p in self.profiles if p.id != profile.id]
        if len(kept) == len(self.profiles):
            return replace(self, profiles=(*self.profiles, profile))
        return replace(
            self, profiles=tuple(profile if p.id == profile.id else p for p in self.profiles)
        )


def validate_proxy_url(url: str) -> str | None:
    """Why `url` cannot be a proxy, in words for the user; None when it can."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return translate("Settings", "The proxy must be a URL like http://proxy.example.com:3128.")
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        return translate("Settings", "The proxy's port must be a number.")
    return None


def _text(limit: int, *, empty: bool = True) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or len(value) > limit or (not empty and not value.strip()):
            raise ValueError
        return value

    return check


def _temperature(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError
    if not math.isfinite(value) or not 0 <= value <= MAX_TEMPERATURE:
        raise ValueError
    return float(value)


def _max_tokens(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError
    if not 1 <= value <= MAX_OUTPUT_TOKENS_LIMIT:
        raise ValueError
    return value


def _choice(value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError
    return str(value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError
    return value


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "active_profile": _text(200, empty=False),
    "default_model": _text(MAX_MODEL_CHARS, empty=False),
    "system_prompt": _text(MAX_SYSTEM_PROMPT_CHARS),
    "temperature": _temperature,
    "max_output_tokens": _max_tokens,
    "send_key": SendKey,
    "proxy_mode": ProxyMode,
    "proxy_url": _text(2000),
    "plaintext_keys": _flag,
    "language": lambda value: _choice(value, ("system", *LANGUAGE_CODES)),
    "theme": lambda value: _choice(value, ("system", "light", "dark")),
}


def _profiles(value: Any) -> tuple[tuple[Profile, ...], bool]:
    """The valid profiles in `value`, and whether any entry was dropped."""
    if value is None:
        return (), False
    if not isinstance(value, list):
        return (), True
    kept: list[Profile] = []
    dropped = False
    for entry in value:
        try:
            profile = Profile(
                id=_text(200, empty=False)(entry["id"]),
                name=_text(MAX_NAME_CHARS, empty=False)(entry["name"]),
                base_url=_text(2000, empty=False)(entry["base_url"]),
                needs_key=_flag(entry.get("needs_key", True)),
                preset=_text(50, empty=False)(entry.get("preset", "custom")),
                model=_text(MAX_MODEL_CHARS)(entry.get("model", "")),
            )
        except (TypeError, ValueError, KeyError, AttributeError):
            dropped = True
            continue
        if profile.problem() or any(p.id == profile.id for p in kept):
            dropped = True
            continue
        kept.append(profile)
    return tuple(kept), dropped
