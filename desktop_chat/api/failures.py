"""SDK exceptions become our errors, each with a message that says what happened and what
to do. Called with the `openai` module passed in, so this module never imports it."""

from __future__ import annotations

import email.utils
import json
import socket
import time
from collections.abc import Iterator, Mapping
from typing import Any

from .. import errors
from ..i18n import translate


def map_failure(
    exc: BaseException, openai: Any, *, server: str, during_reply: bool
) -> errors.ChatError:
    """Our error for `exc`. `server` names the server for the user; `during_reply` says
    whether part of the reply had already arrived."""
    detail = _server_message(exc)
    if isinstance(exc, openai.APIStatusError):
        return _status_failure(exc, detail, server)
    if isinstance(exc, openai.APITimeoutError):
        if during_reply:
            return errors.StreamInterruptedError(
                translate(
                    "Failures",
                    "{server} stopped sending in the middle of the reply. What arrived is "
                    "kept; Retry to ask again.",
                ).format(server=server),
                detail=detail,
            )
        return errors.RequestTimeoutError(
            translate(
                "Failures", "{server} did not answer in time. Check your connection, then retry."
            ).format(server=server),
            detail=detail,
            summary=translate("Failures", "{server} did not answer in time.").format(server=server),
        )
    if isinstance(exc, openai.APIConnectionError):
        if during_reply:
            return errors.StreamInterruptedError(
                translate(
                    "Failures",
                    "The connection dropped while the reply was arriving. What arrived is "
                    "kept; Retry to ask again.",
                ),
                detail=detail,
            )
        if _caused_by(exc, socket.gaierror):
            return errors.ConnectionFailedError(
                translate(
                    "Failures",
                    "Could not find the server {server}. Check the base URL and that you are "
                    "online.",
                ).format(server=server),
                detail=detail,
                summary=translate("Failures", "Could not find the server {server}.").format(
                    server=server
                ),
            )
        if _caused_by(exc, ConnectionRefusedError):
            return errors.ConnectionFailedError(
                translate(
                    "Failures",
                    "Nothing is answering at {server}. If it is a local server, is it running?",
                ).format(server=server),
                detail=detail,
                summary=translate("Failures", "Nothing is answering at {server}.").format(
                    server=server
                ),
            )
        return errors.ConnectionFailedError(
            translate(
                "Failures",
                "Could not reach {server}. Check your connection and the base URL, then retry.",
            ).format(server=server),
            detail=detail,
            summary=translate("Failures", "Could not reach {server}.").format(server=server),
        )
    if isinstance(exc, openai.APIError):
        # An {"error": …} event inside the stream.
        return errors.ServerError(
            translate(
                "Failures",
                "{server} reported an error while answering: {detail}. Retry in a moment.",
            ).format(server=server, detail=detail or exc),
            detail=detail,
        )
    if isinstance(exc, json.JSONDecodeError | ValueError | TypeError | AttributeError):
        return errors.BadResponseError(
            translate(
                "Failures",
                "{server} sent something this app could not read. What arrived is kept. Is "
                "the base URL an OpenAI-compatible /v1 endpoint?",
            ).format(server=server),
            detail=str(exc),
        )
    return errors.ChatError(translate("Failures", "The request failed."), detail=detail)


def _status_failure(exc: Any, detail: str | None, server: str) -> errors.ChatError:
    status = exc.status_code
    code = _body_field(exc, "code") or ""
    error_type = _body_field(exc, "type") or ""
    said = (
        translate("Failures", " The server said: {detail}").format(detail=detail) if detail else ""
    )
    if status == 401:
        return errors.AuthenticationError(
            translate(
                "Failures",
                "The server rejected the API key (401). Check the key — it may be mistyped, "
                "revoked, or for another provider.",
            ),
            detail=detail,
        )
    if status == 403:
        return errors.AccessDeniedError(
            translate("Failures", "This key is not allowed to use this model or endpoint (403).")
            + said,
            detail=detail,
        )
    if status == 404:
        return errors.ModelNotFoundError(
            translate(
                "Failures",
                "The server does not know this model, or the base URL is wrong (404). Pick "
                "another model, or check the base URL.",
            ),
            detail=detail,
        )
    if status == 429:
        if "insufficient_quota" in (code, error_type):
            return errors.QuotaExceededError(
                translate(
                    "Failures",
                    "Your account has run out of credit or reached its spending limit (429). "
                    "Check the plan and billing for this key; retrying will not help until "
                    "then.",
                ),
                detail=detail,
            )
        wait = retry_after_seconds(exc.response.headers)
        return errors.RateLimitError(
            translate("Failures", "The server is rate limiting requests (429).")
            + " "
            + _retry_in(wait),
            detail=detail,
            retry_after=wait,
            summary=translate("Failures", "The server is rate limiting requests (429)."),
        )
    if status == 400 and (code == "context_length_exceeded" or _mentions_context(detail)):
        return errors.ContextTooLongError(
            translate(
                "Failures",
                "The conversation is too long for this model's context window (400). Start a "
                "new chat, or pick a model with a larger context window.",
            ),
            detail=detail,
        )
    if status in (400, 422) and _mentions_images(detail, _body_field(exc, "param")):
        return errors.ImagesNotSupportedError(
            translate(
                "Failures",
                "This model does not accept images ({status}). Pick a model that can see "
                "images and Retry, or Edit the question to send it without them.",
            ).format(status=status)
            + said,
            detail=detail,
        )
    if status in (400, 422):
        return errors.BadRequestError(
            translate("Failures", "The server refused the request ({status}).").format(
                status=status
            )
            + said,
            detail=detail,
        )
    if status in (408, 409) or status >= 500:
        return errors.ServerError(
            translate("Failures", "{server} had a problem ({status}). Retry in a moment.").format(
                server=server, status=status
            ),
            detail=detail,
            retry_after=retry_after_seconds(exc.response.headers),
            summary=translate("Failures", "{server} had a problem ({status}).").format(
                server=server, status=status
            ),
        )
    return errors.ChatError(
        translate("Failures", "The server answered with an error ({status}).").format(status=status)
        + said,
        detail=detail,
    )


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The wait a server asks for: `retry-after-ms`, or `retry-after` in seconds or as a date."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (ValueError, TypeError):
        return None  # neither seconds nor a date: no advice
    return max(0.0, moment.timestamp() - time.time())


def error_parameter(exc: BaseException) -> tuple[str, str]:
    """(`param`, lowercase message) of a 400 reply, for spotting an unsupported parameter."""
    return _body_field(exc, "param") or "", (_server_message(exc) or "").lower()


def _body_field(exc: BaseException, name: str) -> str | None:
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        if isinstance(inner, Mapping) and isinstance(inner.get(name), str):
            return str(inner[name])
    return None


def _server_message(exc: BaseException) -> str | None:
    message = _body_field(exc, "message")
    if message:
        return message
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping) and isinstance(body.get("detail"), str):
        return str(body["detail"])  # vLLM and FastAPI-based servers
    if isinstance(body, str) and body.strip():
        return body.strip()[:300]
    cause = exc.__cause__
    return str(cause) if cause is not None and str(cause) else None


def _mentions_images(detail: str | None, param: str | None) -> bool:
    """A refusal of the image parts: OpenAI names `image_url` ("Invalid content type.
    image_url is only supported by certain models."); local servers speak of images,
    vision or multimodal input."""
    text = f"{detail or ''} {param or ''}".lower()
    if "image_url" in text:
        return True
    return ("image" in text or "vision" in text or "multimodal" in text) and any(
        word in text for word in ("support", "not accept", "cannot", "does not", "unsupported")
    )


def _mentions_context(detail: str | None) -> bool:
    text = (detail or "").lower()
    return "context length" in text or "context window" in text or "too many tokens" in text


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    return any(isinstance(e, kind) for e in _chain(exc))


def _chain(exc: BaseException | None, seen: set[int] | None = None) -> Iterator[BaseException]:
    seen = set() if seen is None else seen
    if exc is None or id(exc) in seen:
        return
    seen.add(id(exc))
    yield exc
    for inner in getattr(exc, "exceptions", None) or ():
        yield from _chain(inner, seen)
    yield from _chain(exc.__cause__, seen)
    yield from _chain(exc.__context__, seen)


def _retry_in(seconds: float | None) -> str:
    if not seconds:
        return translate("Failures", "Retry in a moment.")
    if seconds < 90:
        return translate("Failures", "Retry in about {seconds} s.").format(seconds=f"{seconds:.0f}")
    return translate("Failures", "Retry in about {minutes} min.").format(
        minutes=round(seconds / 60)
    )
