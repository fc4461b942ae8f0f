"""Settings: every option checked on load, a damaged file never stops the app."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_chat.settings import OPENAI_PROFILE, Profile, ProxyMode, SendKey, Settings
from desktop_chat.storage.settings_file import DAMAGED_NAME, SETTINGS_FILE_NAME, SettingsFile

LOCAL = Profile(id="local", name="Ollama", base_url="http://localhost:11434/v1", needs_key=False)


def test_settings_round_trip_through_their_file(tmp_path: Path) -> None:
    chosen = replace(
        Settings().with_profile(LOCAL),
        active_profile="local",
        default_model="llama3.2",
        system_prompt="Be brief.",
        temperature=0.7,
        max_output_tokens=None,
        send_key=SendKey.CTRL_ENTER,
        proxy_mode=ProxyMode.MANUAL,
        proxy_url="http://proxy.example.com:3128",
    )
    SettingsFile(tmp_path).save(chosen)
    loaded = SettingsFile(tmp_path).load()
    assert loaded.settings == chosen
    assert loaded.notice is None
    assert loaded.settings.active == LOCAL
    assert loaded.settings.generation_defaults().model == "llama3.2"


def test_no_file_means_the_defaults_without_a_word(tmp_path: Path) -> None:
    loaded = SettingsFile(tmp_path).load()
    assert loaded.settings == Settings()
    assert loaded.notice is None
    assert loaded.settings.active == OPENAI_PROFILE
    assert loaded.settings.max_output_tokens == 2000  # the tutorial's limit


def test_a_damaged_file_is_set_aside_untouched_and_the_defaults_used(tmp_path: Path) -> None:
    damaged = b'{"version": 1, "default_model": "gpt-\xff'
    (tmp_path / SETTINGS_FILE_NAME).write_bytes(damaged)
    loaded = SettingsFile(tmp_path).load()
    assert loaded.settings == Settings()
    assert loaded.notice is not None and "damaged" in loaded.notice
    assert (tmp_path / DAMAGED_NAME).read_bytes() == damaged
    assert str(tmp_path / DAMAGED_NAME) in loaded.notice
    assert not (tmp_path / SETTINGS_FILE_NAME).exists()
    # A second damaged file does not overwrite the first one kept aside.
    (tmp_path / SETTINGS_FILE_NAME).write_text("[1, 2")
    SettingsFile(tmp_path).load()
    assert (tmp_path / DAMAGED_NAME).read_bytes() == damaged
    assert (tmp_path / "settings.damaged (2).json").read_text() == "[1, 2"


def test_invalid_entries_fall_back_one_by_one_and_are_named(tmp_path: Path) -> None:
    data = {
        "version": 1,
        "profiles": [
            {"id": "openai", "name": "OpenAI", "base_url": "https://api.openai.com/v1"},
            {"id": "bad", "name": "No scheme", "base_url": "localhost:11434"},
            {"id": "openai", "name": "Duplicate", "base_url": "http://x/v1"},
            "not a profile",
        ],
        "active_profile": "bad",
        "default_model": "",
        "system_prompt": "Kept.",
        "temperature": 7,
        "max_output_tokens": -5,
        "send_key": "space",
        "proxy_mode": "manual",
        "proxy_url": "ftp://nope",
        "plaintext_keys": "yes",
    }
    (tmp_path / SETTINGS_FILE_NAME).write_text(json.dumps(data))
    loaded = SettingsFile(tmp_path).load()
    defaults = Settings()
    assert loaded.settings.system_prompt == "Kept."
    assert [p.id for p in loaded.settings.profiles] == ["openai"]
    assert loaded.settings.active_profile == "openai"
    assert loaded.settings.default_model == defaults.default_model
    assert loaded.settings.temperature is None
    assert loaded.settings.max_output_tokens == defaults.max_output_tokens
    assert loaded.settings.send_key is SendKey.ENTER
    assert loaded.settings.proxy_mode is ProxyMode.SYSTEM
    assert loaded.settings.plaintext_keys is False
    assert loaded.notice is not None
    for name in ("profiles", "default_model", "temperature", "max_output_tokens", "send_key"):
        assert name in loaded.notice


def test_entries_of_a_newer_version_are_kept_when_saving(tmp_path: Path) -> None:
    data = {**Settings().to_dict(), "version": 2, "theme": "dark", "default_model": "gpt-x"}
    (tmp_path / SETTINGS_FILE_NAME).write_text(json.dumps(data))
    loaded = SettingsFile(tmp_path).load()
    assert loaded.settings.default_model == "gpt-x"
    SettingsFile(tmp_path).save(replace(loaded.settings, default_model="gpt-y"))
    written = json.loads((tmp_path / SETTINGS_FILE_NAME).read_text())
    assert written["theme"] == "dark"
    assert written["default_model"] == "gpt-y"


def test_problems_name_what_stops_saving() -> None:
    broken = Settings().with_profile(Profile(id="x", name="Mine", base_url="htp:/oops"))
    assert any("Mine" in p and "http://" in p for p in broken.problems())
    manual = replace(Settings(), proxy_mode=ProxyMode.MANUAL, proxy_url="proxy:abc")
    assert manual.problems()
    assert Settings().problems() == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([*Settings().to_dict(), "other"]) | st.text(max_size=10),
        json_values,
        max_size=12,
    )
)
def test_any_json_object_loads_into_valid_settings(data: dict[str, object]) -> None:
    loaded, _invalid = Settings.from_dict(data)
    assert loaded.problems() == []
    assert loaded.active in loaded.profiles
    again, invalid_again = Settings.from_dict(json.loads(json.dumps(loaded.to_dict())))
    assert again == loaded and invalid_again == []


def test_start_up_reads_the_language_and_theme_without_changing_the_file(tmp_path: Path) -> None:
    from desktop_chat.storage.interface_choices import read_interface_choices

    assert read_interface_choices(tmp_path) == ("system", "system")  # no file yet
    SettingsFile(tmp_path).save(replace(Settings(), language="es", theme="dark"))
    assert read_interface_choices(tmp_path) == ("es", "dark")

    path = tmp_path / SETTINGS_FILE_NAME
    for damaged in (b"\x00\xff not json", b"[1, 2]", b'{"language": 3, "theme": null}'):
        path.write_bytes(damaged)
        assert read_interface_choices(tmp_path) == ("system", "system")
        assert path.read_bytes() == damaged  # the full read sets it aside, and says so
