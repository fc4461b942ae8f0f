"""The OpenAI(-compatible) connection."""

from .client import (
    API_KEY_ENV,
    BASE_URL_ENV,
    Adjusted,
    ChatClient,
    ChatRequest,
    Endpoint,
    Retrying,
    StreamEnd,
    StreamEvent,
    TextDelta,
)

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "Adjusted",
    "ChatClient",
    "ChatRequest",
    "Endpoint",
    "Retrying",
    "StreamEnd",
    "StreamEvent",
    "TextDelta",
]
