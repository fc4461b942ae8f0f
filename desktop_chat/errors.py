"""One error family. Every error carries a message fit to show the user as is.

Messages are plain English here; the UI translates the ones it knows by `kind`.
Nothing in this module ever formats a secret into a message.
"""

from __future__ import annotations


class ChatError(Exception):
    """Base of every error the app expects and explains to the user."""

    kind = "error"
    retryable = True

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class MissingKeyError(ChatError):
    kind = "missing_key"
    retryable = False


class AuthenticationError(ChatError):
    kind = "auth"
    retryable = False


class AccessDeniedError(ChatError):
    kind = "permission"
    retryable = False


class ModelNotFoundError(ChatError):
    kind = "not_found"
    retryable = False


class BadRequestError(ChatError):
    kind = "bad_request"
    retryable = False


class RateLimitError(ChatError):
    kind = "rate_limit"


class ServerError(ChatError):
    kind = "server"


class ConnectionFailedError(ChatError):
    kind = "connection"


class RequestTimeoutError(ChatError):
    kind = "timeout"


class StorageError(ChatError):
    """A conversation could not be read or written."""

    kind = "storage"
