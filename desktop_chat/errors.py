"""One error family. Every error carries a message fit to show the user as is.

`retryable` says whether trying the same request again, automatically and before any reply
text has arrived, may succeed. Nothing in this module ever formats a secret into a message.
"""

from __future__ import annotations


class ChatError(Exception):
    """Base of every error the app expects and explains to the user."""

    kind = "error"
    retryable = False

    def __init__(
        self,
        message: str,
        *,
        detail: str | None = None,
        retry_after: float | None = None,
        summary: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.summary = summary or message
        """What happened, without the advice: for "… Trying again in 3 s"."""
        self.detail = detail
        """What the server or the system said, when that helps; shown in the log."""
        self.retry_after = retry_after
        """Seconds the server asked us to wait before trying again."""

    def __str__(self) -> str:
        return self.message


class MissingKeyError(ChatError):
    kind = "missing_key"


class AuthenticationError(ChatError):
    kind = "auth"


class AccessDeniedError(ChatError):
    kind = "permission"


class ModelNotFoundError(ChatError):
    kind = "not_found"


class BadRequestError(ChatError):
    kind = "bad_request"


class ContextTooLongError(BadRequestError):
    """The conversation (or one message) does not fit the model's context window."""

    kind = "context_too_long"


class ImagesNotSupportedError(BadRequestError):
    """The model (or the server) does not take images."""

    kind = "images_not_supported"


class RateLimitError(ChatError):
    kind = "rate_limit"
    retryable = True


class QuotaExceededError(ChatError):
    """Out of credit or over a spending limit: waiting will not help."""

    kind = "quota"


class ServerError(ChatError):
    kind = "server"
    retryable = True


class ConnectionFailedError(ChatError):
    kind = "connection"
    retryable = True


class RequestTimeoutError(ChatError):
    kind = "timeout"
    retryable = True


class StreamInterruptedError(ChatError):
    """The connection broke while the reply was arriving."""

    kind = "interrupted"


class BadResponseError(ChatError):
    """The server sent something that is not the Chat Completions dialect."""

    kind = "bad_response"


class StorageError(ChatError):
    """A conversation could not be read or written."""

    kind = "storage"
