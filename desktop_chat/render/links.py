"""The links a rendered conversation carries besides the reply's own: its actions (Retry,
Copy code…), as `desktop-chat:<action>/<message id>[/<argument>]`."""

from __future__ import annotations

from enum import StrEnum

ACTION_SCHEME = "desktop-chat"


class Action(StrEnum):
    RETRY = "retry"
    CONTINUE = "continue"
    COPY = "copy"
    COPY_CODE = "copy-code"
    EDIT = "edit"
    REGENERATE = "regenerate"
    PREVIOUS_VERSION = "previous-version"
    NEXT_VERSION = "next-version"
    VIEW_ATTACHMENT = "view-attachment"
    TOGGLE_FILE = "toggle-file"
    TOGGLE_THOUGHTS = "toggle-thoughts"


def action_href(action: Action, message_id: str, argument: str = "") -> str:
    return f"{ACTION_SCHEME}:{action.value}/{message_id}" + (f"/{argument}" if argument else "")
