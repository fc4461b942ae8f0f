"""Which models a server offers, and which one a new chat starts with.

A profile remembers the model last used with it; a default the server does not list is
replaced by one it does (and the user is told). The list is asked of the server
(`/v1/models`) and kept a while; a server without one gets OpenAI's list (for OpenAI) or
the models already in use.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from ..api import ChatClient
from ..domain import GenerationSettings
from ..errors import ChatError
from ..i18n import translate
from .settings_service import SettingsService

log = logging.getLogger(__name__)

MODELS_CACHE_S = 600.0
MODEL_NOTICE = "model"


class ModelChoice:
    def __init__(
        self,
        client: ChatClient,
        settings: SettingsService,
        tell: Callable[[str, str], None],
        untell: Callable[[str], None],
    ) -> None:
        self._client = client
        self._settings = settings
        self._tell = tell
        self._untell = untell
        self._models: tuple[float, list[str], bool] | None = None

    def forget(self) -> None:
        """Another server (or key) is in use: its models are asked for again."""
        self._models = None
        self._untell(MODEL_NOTICE)

    async def models(
        self,
        fetch: Callable[[Awaitable[list[str]]], Awaitable[list[str]]],
        in_use: Iterable[str],
    ) -> tuple[list[str], bool]:
        """The models to offer, and whether the server listed them itself (cached).
        `fetch` runs the request as a task the service owns (shutdown ends it)."""
        now = time.monotonic()
        if self._models is not None and now - self._models[0] < MODELS_CACHE_S:
            return self._models[1], self._models[2]
        try:
            listed, from_server = await fetch(self._client.list_models()), True
        except ChatError as exc:
            log.info("The server lists no models (%s); using the built-in list", exc.message)
            listed, from_server = self._fallback(in_use), False
        self._models = (now, listed, from_server)
        return listed, from_server

    def _fallback(self, in_use: Iterable[str]) -> list[str]:
        if not self._client.endpoint.is_official:
            return sorted(set(in_use))
        from ..api.models import fallback_models

        # Asking the server for its list has already imported the SDK.
        return fallback_models(ChatClient.preload_module())

    def new_chat_settings(self) -> GenerationSettings:
        """The settings a chat not begun starts with: the model last used on this server;
        or the default model, replaced by one the server offers if it lists others only."""
        settings = self._settings.settings.generation_defaults()
        if self._models is not None and self._models[2]:
            settings.model = self.offered(settings.model, self._models[1])
        return settings

    def offered(self, wanted: str, listed: Sequence[str]) -> str:
        # A model chosen on this server stays, listed or not (OpenRouter's aliases are not);
        # the default, perhaps chosen for another server, gives way to one offered here.
        if not listed or wanted in listed or self._settings.settings.active.model:
            return wanted
        fallback = self._settings.settings.default_model
        offered = fallback if fallback in listed else listed[0]
        self._tell(
            MODEL_NOTICE,
            translate(
                "ChatService",
                "{server} does not offer {model}, so new chats use {offered}. Pick another "
                "in the model list above the conversation.",
            ).format(server=self._server_name(), model=wanted, offered=offered),
        )
        return offered

    def refit(self, chats: Iterable[Any]) -> list[Any]:
        """Give the chats not begun yet a model the server lists, if theirs is not (not one
        whose model the user has picked meanwhile); returns those changed."""
        if self._models is None or not self._models[2]:
            return []
        listed = self._models[1]
        inherited = self._settings.settings.generation_defaults().model
        changed = []
        for conversation in chats:
            if (
                not conversation.is_empty
                or conversation.read_only
                or conversation.settings.model != inherited
            ):
                continue
            model = self.offered(conversation.settings.model, listed)
            if model != conversation.settings.model:
                conversation.settings.model = model
                changed.append(conversation)
        return changed

    def _server_name(self) -> str:
        """The server as the user named it (its profile), unless OPENAI_BASE_URL sends the
        requests elsewhere: then its address."""
        if self._settings.environment_base_url:
            return self._client.endpoint.server_name
        return self._settings.settings.active.name
