"""The words that come from below the interface (the network, the store, settings, exports)
follow the interface's language too, switched at run time like the rest."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from desktop_chat import i18n
from desktop_chat.export.text import markdown
from desktop_chat.settings import ProxyMode, Settings
from desktop_chat.storage.settings_file import SettingsFile
from tests.helpers.openai_server import FakeOpenAIServer, ScriptedReply
from tests.ui.test_faults import ask
from tests.ui.test_settings import _open_settings, _save

REJECTED = ScriptedReply(
    status=401,
    error={"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}},
)


def test_service_messages_and_exports_switch_language_with_the_interface(
    qtbot, launch, data_dir: Path, openai_server: FakeOpenAIServer
) -> None:
    chat = launch()
    openai_server.enqueue(REJECTED)
    reply = ask(qtbot, chat, "Hello")
    assert reply.error.startswith("The server rejected the API key (401).")

    dialog = _open_settings(qtbot, chat)
    dialog.interface.language.setCurrentIndex(dialog.interface.language.findData("es"))
    _save(qtbot, dialog)
    old = chat.window
    qtbot.waitUntil(lambda: chat.window is not old)
    qtbot.waitUntil(chat.window.isVisible)

    openai_server.enqueue(REJECTED)
    chat.window.panel.composer.set_text("")
    reply = ask(qtbot, chat, "Hola")
    assert reply.error.startswith("El servidor rechazó la clave de API (401).")
    qtbot.waitUntil(
        lambda: "El servidor rechazó la clave" in chat.window.panel.message_view.toPlainText()
    )
    # Settings' own checks, numbers and exports, all in Spanish.
    assert "El proxy debe ser una URL" in " ".join(
        replace(Settings(), proxy_mode=ProxyMode.MANUAL, proxy_url="nonsense").problems()
    )
    assert i18n.number(12345) == "12.345"
    exported = markdown(chat.service.conversation(chat.window.conversation_id))
    assert "### Tú · " in exported
    assert "*Empezada el " in exported and "4 mensajes" in exported

    # Back in English, from the next message on.
    dialog = _open_settings(qtbot, chat)
    dialog.interface.language.setCurrentIndex(dialog.interface.language.findData("en"))
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: i18n.translate("Export", "You") == "You")
    assert "### You · " in markdown(chat.service.conversation(chat.window.conversation_id))


def test_a_language_chosen_at_start_reaches_the_first_notice(qtbot, launch, data_dir: Path) -> None:
    """A damaged settings file is explained, in Spanish, as soon as the window opens."""
    SettingsFile(data_dir / "config").save(replace(Settings(), language="es"))
    settings = data_dir / "config" / "settings.json"
    settings.write_text(settings.read_text().replace('"temperature"', '"temperature": "hot", "x"'))
    chat = launch()
    notice = chat.window.panel.notices.text_of("settings") or ""
    assert "Algunos ajustes no eran válidos" in notice, notice
