"""Where requests go, with which key, through which proxy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .reasoning import server_kind

OFFICIAL_HOST = "api.openai.com"
API_KEY_ENV = "OPENAI_API_KEY"
BASE_URL_ENV = "OPENAI_BASE_URL"
# A long-thinking model may stay silent for minutes before its first token; a dead
# connection should still be noticed well before the SDK's default of ten minutes.
CONNECT_TIMEOUT_S = 15.0
READ_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class Endpoint:
    """Where to send requests and with which key. The key never appears in `repr()`."""

    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    proxy: str | None = None
    """An explicit proxy URL; without it the environment's HTTP(S)_PROXY are honoured."""
    direct: bool = False
    """Use no proxy at all, whatever the environment or the system say."""
    requires_key: bool = False
    """The server wants a key even though it is not OpenAI's (OpenRouter, Azure…)."""
    connect_timeout: float = CONNECT_TIMEOUT_S
    read_timeout: float = READ_TIMEOUT_S
    preset: str = ""
    """The provider preset of the profile (`providers.PRESETS`), "custom" or ""."""

    @property
    def server(self) -> str:
        """Which kind of server this is, for its dialect (see api.reasoning)."""
        return server_kind(self.preset, self.base_url)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Endpoint:
        return cls(
            base_url=(environ.get(BASE_URL_ENV) or "").strip() or None,
            api_key=(environ.get(API_KEY_ENV) or "").strip() or None,
        )

    @property
    def is_official(self) -> bool:
        return self.base_url is None or urlsplit(self.base_url).hostname == OFFICIAL_HOST

    @property
    def needs_key(self) -> bool:
        """A key is needed and there is none."""
        return (self.is_official or self.requires_key) and not self.api_key

    @property
    def server_name(self) -> str:
        """How messages name the server: its host (and port)."""
        if self.base_url is None:
            return OFFICIAL_HOST
        parts = urlsplit(self.base_url)
        return parts.netloc or self.base_url

    def __repr__(self) -> str:
        key = "set" if self.api_key else "none"
        proxy = "direct" if self.direct else self.proxy
        return f"Endpoint(base_url={self.base_url!r}, api_key=<{key}>, proxy={proxy!r})"
