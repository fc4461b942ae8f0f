"""Which models to offer when a server does not list its own."""

from __future__ import annotations

import re
import typing
from types import ModuleType

# Dated snapshots and special-purpose variants crowd a chat model picker.
_NOT_FOR_CHAT = re.compile(r"-\d{4}-\d{2}-\d{2}$|-\d{4}$|audio|search|realtime|preview|-pro$")


def fallback_models(openai: ModuleType) -> list[str]:
    """OpenAI's chat models as the installed SDK knows them (newest first), so the list
    moves with the dependency rather than with this file."""
    known = typing.get_args(openai.types.ChatModel)
    return [name for name in known if not _NOT_FOR_CHAT.search(name)]
