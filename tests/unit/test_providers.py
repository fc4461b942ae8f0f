"""Provider profiles and base URLs."""

from __future__ import annotations

import openai
import pytest

from desktop_chat.api.models import fallback_models
from desktop_chat.providers import PRESETS, preset, validate_base_url


def test_every_preset_is_a_valid_base_url_or_a_template() -> None:
    for profile in PRESETS:
        if profile.is_template:
            assert validate_base_url(profile.base_url) is not None
            filled = profile.base_url.replace("{resource}", "my-team")
            assert validate_base_url(filled) is None
        else:
            assert validate_base_url(profile.base_url) is None, profile.id


def test_local_servers_need_no_key_and_hosted_ones_do() -> None:
    assert not preset("ollama").needs_key
    assert not preset("llama-cpp").needs_key
    assert preset("openai").needs_key
    assert preset("openrouter").needs_key
    assert preset("openai").key_page == "https://platform.openai.com/api-keys"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("localhost:11434/v1", "must start with http:// or https://"),
        ("ftp://example.com/v1", "must start with http:// or https://"),
        ("http:///v1", "needs a host name"),
        ("https://example.com/v1?key=1", "cannot contain ? or #"),
    ],
)
def test_bad_base_urls_are_explained(url: str, problem: str) -> None:
    assert problem in (validate_base_url(url) or "")


def test_the_fallback_models_come_from_the_installed_sdk() -> None:
    models = fallback_models(openai)
    assert "gpt-4.1" in models
    assert "gpt-4o-2024-08-06" not in models  # dated snapshots are left out
    assert not any("audio" in m or "search" in m for m in models)
