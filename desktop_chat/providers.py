"""Provider profiles: where a server is and whether it needs a key.

OpenAI is the default; the others speak the same Chat Completions dialect. Profiles hold
no secret: keys live in the OS keyring or the environment.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .i18n import translate

OPENAI_BASE_URL = "https://api.openai.com/v1"


@dataclass(frozen=True)
class ProviderProfile:
    id: str
    name: str
    base_url: str
    """For templates, `{placeholders}` the user fills in (Azure's resource name)."""
    needs_key: bool
    key_page: str | None = None
    """Where keys for this provider are created."""

    @property
    def is_template(self) -> bool:
        return "{" in self.base_url


PRESETS: tuple[ProviderProfile, ...] = (
    ProviderProfile(
        "openai", "OpenAI", OPENAI_BASE_URL, True, "https://platform.openai.com/api-keys"
    ),
    ProviderProfile("ollama", "Ollama", "http://localhost:11434/v1", False),
    ProviderProfile("lm-studio", "LM Studio", "http://localhost:1234/v1", False),
    ProviderProfile("vllm", "vLLM", "http://localhost:8000/v1", False),
    ProviderProfile("llama-cpp", "llama.cpp server", "http://localhost:8080/v1", False),
    ProviderProfile(
        "openrouter",
        "OpenRouter",
        "https://openrouter.ai/api/v1",
        True,
        "https://openrouter.ai/settings/keys",
    ),
    ProviderProfile(
        "azure",
        "Azure OpenAI",
        "https://{resource}.openai.azure.com/openai/v1/",
        True,
        "https://portal.azure.com/",
    ),
)


def preset(profile_id: str) -> ProviderProfile:
    return next(p for p in PRESETS if p.id == profile_id)


def validate_base_url(url: str) -> str | None:
    """Why `url` cannot be a base URL, in words for the user; None when it can."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return translate("Providers", "The base URL must start with http:// or https://.")
    if not parts.hostname:
        return translate(
            "Providers", "The base URL needs a host name, like http://localhost:11434/v1."
        )
    if "{" in url or "}" in url:
        return translate(
            "Providers", "Replace the {placeholder} in the base URL with your own value."
        )
    if parts.query or parts.fragment:
        return translate("Providers", "The base URL cannot contain ? or #.")
    return None
