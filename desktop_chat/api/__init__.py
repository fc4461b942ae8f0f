"""The OpenAI(-compatible) connection."""

from .client import ChatClient, ChatRequest, PreparedClient
from .endpoint import API_KEY_ENV, BASE_URL_ENV, Endpoint
from .events import (
    Adjusted,
    Answering,
    ReasoningDelta,
    Retrying,
    StreamEnd,
    StreamEvent,
    TextDelta,
    ThoughtsMoved,
)

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "Adjusted",
    "Answering",
    "ChatClient",
    "ChatRequest",
    "Endpoint",
    "PreparedClient",
    "ReasoningDelta",
    "Retrying",
    "StreamEnd",
    "StreamEvent",
    "TextDelta",
    "ThoughtsMoved",
]
