"""The seam through which the layers below the interface speak the user's language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop_chat import i18n
from desktop_chat.providers import validate_base_url


@pytest.fixture(autouse=True)
def english_again() -> Iterator[None]:
    yield
    i18n.use(None)


def test_english_is_the_source_until_a_translator_is_in_use() -> None:
    assert i18n.translate("Providers", "The base URL cannot contain ? or #.") == (
        "The base URL cannot contain ? or #."
    )
    assert i18n.number(1234567) == "1,234,567"


def test_a_translator_in_use_words_the_messages_and_numbers() -> None:
    seen: list[tuple[str, str, str | None]] = []

    def shout(context: str, source: str, disambiguation: str | None) -> str:
        seen.append((context, source, disambiguation))
        return source.upper()

    i18n.use(shout, numbers=lambda value, decimals: f"{value:_}")
    assert validate_base_url("ftp://example.com") == (
        "THE BASE URL MUST START WITH HTTP:// OR HTTPS://."
    )
    assert seen == [("Providers", "The base URL must start with http:// or https://.", None)]
    assert i18n.number(1234567) == "1_234_567"
    i18n.use(None)
    assert validate_base_url("ftp://example.com") == (
        "The base URL must start with http:// or https://."
    )


def test_qt_translates_for_the_layers_below_once_spanish_is_applied(qapp) -> None:
    from desktop_chat.ui.language import Language

    language = Language()
    language.apply("es")
    try:
        assert validate_base_url("example.com") == (
            "La URL base debe empezar por http:// o https://."
        )
        assert i18n.number(1234567) == "1.234.567"
    finally:
        language.remove()
    assert validate_base_url("example.com") == "The base URL must start with http:// or https://."
