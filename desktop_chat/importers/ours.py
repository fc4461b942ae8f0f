"""Our own JSON export: the conversation file format itself, so it round-trips exactly."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from ..domain import Conversation
from ..i18n import translate
from ..storage.schema import CorruptFileError, NewerSchemaError, conversation_from_json
from .errors import ImportFailedError

# The same names the store accepts as conversation ids.
_SAFE_ID = re.compile(r'[^/\\\x00-\x1f:*?"<>|]{1,200}')


def is_ours(data: Any) -> bool:
    return isinstance(data, dict) and "schema" in data and "messages" in data


def conversation_from_ours(data: dict[str, Any], name: str) -> Conversation:
    conversation_id = data.get("id")
    if not isinstance(conversation_id, str) or not _SAFE_ID.fullmatch(conversation_id):
        # A file without a usable id keeps a stable one, so importing it twice adds it once.
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        conversation_id = digest[:32]
    try:
        conversation = conversation_from_json(data, conversation_id=conversation_id)
    except NewerSchemaError:
        raise ImportFailedError(_newer(name)) from None
    except CorruptFileError as exc:
        raise ImportFailedError(
            translate("Import", "{file} is not a valid conversation: {reason}.").format(
                file=name, reason=exc
            )
        ) from None
    if conversation.read_only:
        raise ImportFailedError(_newer(name))
    return conversation


def _newer(name: str) -> str:
    return translate(
        "Import",
        "{file} was exported by a newer version of Desktop Chat. Update Desktop Chat to import it.",
    ).format(file=name)
