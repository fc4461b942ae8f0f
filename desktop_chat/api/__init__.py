"""The OpenAI(-compatible) connection."""

from .client import (
    API_KEY_ENV,
    BASE_URL_ENV,
    Adjusted,
    Answering,
    ChatClient,
    ChatRequest,
    Endpoint,
    PreparedClient,
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
