"""An OpenAI-compatible HTTP server for tests, benchmarks and manual runs.

It speaks the Chat Completions dialect (streaming as server-sent events, and plain JSON)
and `/v1/models`, on 127.0.0.1, from a background thread, so the real `openai` client
talks to it over real HTTP. Tests script replies with `enqueue()`; unscripted requests
get a Markdown reply built from the question.

Run it by hand for the app:  python -m tests.helpers.openai_server --port 8765 --delay 0.03
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import select
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_MODELS = ("gpt-5.4-mini", "gpt-4.1", "test-model")


@dataclass
class ScriptedReply:
    """How the server answers one chat request."""

    text: str | None = None
    """The reply; None builds one from the question."""
    chunk_chars: int = 0
    """Characters per streamed chunk; 0 streams word by word."""
    delay: float | None = None
    """Seconds between chunks; None uses the server's default pacing."""
    finish_reason: str | None = "stop"
    hold_after_chunks: int | None = None
    """Stop after this many chunks and wait until `release()` or the client hangs up."""
    status: int = 200
    error: dict[str, Any] | None = None
    """The JSON error body for a non-200 status."""
    headers: dict[str, str] = field(default_factory=dict)
    # --- faults ---
    drop_after_chunks: int | None = None
    """Close the connection abruptly after this many chunks (no end of body)."""
    malformed_after_chunks: int | None = None
    """Send a chunk that is not JSON after this many chunks, then stop."""
    error_event_after_chunks: int | None = None
    """Send an `{"error": …}` event after this many chunks, then end the stream."""
    send_done: bool = True
    """Send `data: [DONE]` at the end (the body still ends cleanly without it)."""
    delay_before_headers: float = 0.0
    """Seconds to wait before answering at all."""
    usage: bool = True
    reasoning: str | None = None
    """Thoughts streamed before the reply, in the `dialect` given."""
    dialect: str = "reasoning_content"
    """How thoughts travel: a delta field ("reasoning_content", "reasoning",
    "reasoning_details", or "openrouter": `reasoning` and `reasoning_details` together),
    inline in the content ("think": `<think>…</think>` first; "think_unopened": only the
    closing tag, the opening one being in the prompt's template; "think_unclosed": never
    closed), or "hidden" (OpenAI: no text, only reasoning tokens in the usage)."""
    reasoning_tokens: int = 0
    """Reported in the usage's completion_tokens_details (0: not reported)."""


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None


class FakeOpenAIServer:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        delay: float = 0.0,
        models: tuple[str, ...] | None = DEFAULT_MODELS,
    ) -> None:
        self.api_key = api_key
        """When set, requests must carry this bearer key or get a 401."""
        self.delay = delay
        self.models = models
        self.answers_as: str | None = None
        """The model the stream says answered, whatever was asked (as llama.cpp's server
        does); None names the requested one."""
        self.text_only_models: set[str] = set()
        """Models that refuse image parts with a 400, as OpenAI's text-only models do."""
        self.refused_fields: set[str] = set()
        """Top-level request fields answered with a 400 naming them, as a server that does
        not know them (or a model that does not reason) does."""
        self.requests: list[RecordedRequest] = []
        self.client_disconnected = threading.Event()
        self._script: deque[ScriptedReply] = deque()
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Go away as a server process would: kept-alive connections are closed too."""
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def enqueue(self, *replies: ScriptedReply) -> None:
        with self._lock:
            self._script.extend(replies)

    def release(self) -> None:
        """Let a held reply continue."""
        self._release.set()

    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _next_reply(self) -> ScriptedReply:
        with self._lock:
            return self._script.popleft() if self._script else ScriptedReply()


def answer_for(question: str) -> str:
    """The server's own reply when none is scripted: Markdown that names the question."""
    return (
        f"You asked: **{question.strip()}**\n\n"
        "Here is a short answer, streamed token by token:\n\n"
        "- a first point\n- a second point\n\n"
        "```python\nprint('hello from the test server')\n```\n"
    )


def title_for(request_text: str) -> str:
    """The server's reply to a title request: the question's first line, marked."""
    question = request_text.removeprefix("Question: ").split("\n")[0].strip()
    return f"{question} (titled)"


def _asks_for_title(body: dict[str, Any]) -> bool:
    return any(
        m.get("role") == "system" and "title" in str(m.get("content", "")).lower()
        for m in body.get("messages", [])
    )


def text_of(content: Any) -> str:
    """A message's text: the content itself, or its text parts (skipping images)."""
    if isinstance(content, list):
        return "\n".join(
            str(part.get("text", "")) for part in content if part.get("type") == "text"
        )
    return str(content)


def _has_images(body: dict[str, Any]) -> bool:
    return any(
        isinstance(m.get("content"), list)
        and any(part.get("type") == "image_url" for part in m["content"])
        for m in body.get("messages", [])
    )


def _chunks(text: str, chunk_chars: int) -> list[str]:
    if chunk_chars > 0:
        return [text[i : i + chunk_chars] for i in range(0, len(text), chunk_chars)]
    return re.findall(r"\s*\S+\s*", text) or [text]


def _handler_for(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # As real servers do: without it, each small SSE chunk on a reused connection
            # waits for the client's delayed ACK (Nagle), adding ~40 ms.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with server._lock:
                server._connections.add(self.connection)

        def finish(self) -> None:
            with server._lock:
                server._connections.discard(self.connection)
            with contextlib.suppress(OSError):
                super().finish()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

        def do_GET(self) -> None:
            self._record(None)
            if not self._authorized():
                return
            if self.path.rstrip("/").endswith("/models") and server.models is not None:
                data = [
                    {"id": m, "object": "model", "created": 0, "owned_by": "test"}
                    for m in server.models
                ]
                self._send_json(200, {"object": "list", "data": data})
            else:
                self._send_json(404, _error("Not found", "invalid_request_error"))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = None
            self._record(body)
            if not self._authorized():
                return
            if not self.path.rstrip("/").endswith("/chat/completions") or body is None:
                self._send_json(404, _error("Not found", "invalid_request_error"))
                return
            model = server.answers_as or str(body.get("model", "test-model"))
            if model in server.text_only_models and _has_images(body):
                self._send_json(
                    400,
                    _error(
                        "Invalid content type. image_url is only supported by certain models.",
                        "invalid_request_error",
                    ),
                )
                return
            refused = next((f for f in sorted(server.refused_fields) if f in body), None)
            if refused is not None:
                self._send_json(
                    400,
                    {
                        "error": {
                            "message": f"Unrecognized request argument supplied: {refused}",
                            "type": "invalid_request_error",
                            "param": refused,
                            "code": None,
                        }
                    },
                )
                return
            reply = server._next_reply()
            if reply.delay_before_headers and not self._wait_or_hang_up(reply.delay_before_headers):
                return
            if reply.status != 200:
                self._send_json(
                    reply.status,
                    reply.error or _error("Scripted failure", "server_error"),
                    reply.headers,
                )
                return
            question = next(
                (
                    text_of(m.get("content", ""))
                    for m in reversed(body.get("messages", []))
                    if m.get("role") == "user"
                ),
                "",
            )
            if reply.text is not None:
                text = reply.text
            elif _asks_for_title(body):
                text = title_for(str(question))
            else:
                text = answer_for(str(question))
            if body.get("stream"):
                include_usage = reply.usage and bool(
                    (body.get("stream_options") or {}).get("include_usage")
                )
                self._stream(reply, text, model, include_usage)
            else:
                self._send_json(200, _completion(text, model, reply.finish_reason))

        def _record(self, body: dict[str, Any] | None) -> None:
            server.requests.append(
                RecordedRequest(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
            )

        def _authorized(self) -> bool:
            if server.api_key is None:
                return True
            if self.headers.get("Authorization") == f"Bearer {server.api_key}":
                return True
            # As OpenAI does: the key it was given, partly masked, in the message.
            given = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            masked = f"{given[:3]}{'*' * max(len(given) - 7, 0)}{given[-4:]}" if given else ""
            self._send_json(
                401,
                _error(
                    f"Incorrect API key provided: {masked}. You can find your API key at "
                    "https://platform.openai.com/account/api-keys.",
                    "invalid_request_error",
                    "invalid_api_key",
                ),
            )
            return False

        def _send_json(
            self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, reply: ScriptedReply, text: str, model: str, usage: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            delay = server.delay if reply.delay is None else reply.delay
            deltas = _deltas(reply, text)
            try:
                self._event(_chunk(model, {"role": "assistant", "content": ""}, None))
                for number, delta in enumerate(deltas):
                    if number == reply.hold_after_chunks and not self._hold():
                        return
                    if number == reply.drop_after_chunks:
                        self._drop()
                        return
                    if number == reply.malformed_after_chunks:
                        self._write_chunk(b'data: {"choices": [{"delta": {"content": \n\n')
                        self._write_chunk(b"")
                        return
                    if number == reply.error_event_after_chunks:
                        failure = {
                            "message": "The model crashed mid-reply.",
                            "type": "server_error",
                        }
                        self._event({"error": failure})
                        self._write_chunk(b"")
                        return
                    self._event(_chunk(model, delta, None))
                    if delay:
                        time.sleep(delay)
                if reply.finish_reason is not None:
                    self._event(_chunk(model, {}, reply.finish_reason))
                if usage:
                    self._event(_usage_chunk(model, text, reply.reasoning_tokens))
                if reply.send_done:
                    self._write_chunk(b"data: [DONE]\n\n")
                self._write_chunk(b"")
            except (BrokenPipeError, ConnectionResetError):
                server.client_disconnected.set()

        def _drop(self) -> None:
            """Hang up mid-body, as a crashed proxy or a lost network does."""
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True

        def _wait_or_hang_up(self, seconds: float) -> bool:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                if self._client_gone():
                    server.client_disconnected.set()
                    return False
                time.sleep(0.01)
            return True

        def _hold(self) -> bool:
            """Wait for release; False when the client hung up meanwhile."""
            while not server._release.wait(0.02):
                if self._client_gone():
                    server.client_disconnected.set()
                    return False
            return True

        def _client_gone(self) -> bool:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if not readable:
                return False
            try:
                return self.connection.recv(1, socket.MSG_PEEK) == b""
            except OSError:
                return True

        def _event(self, payload: dict[str, Any]) -> None:
            self._write_chunk(b"data: " + json.dumps(payload).encode() + b"\n\n")

        def _write_chunk(self, data: bytes) -> None:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

    return Handler


def _chunk(model: str, delta: dict[str, Any], finish_reason: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _deltas(reply: ScriptedReply, text: str) -> list[dict[str, Any]]:
    """The deltas of a streamed reply: its thoughts (in its dialect), then its text."""
    thoughts = reply.reasoning
    if thoughts is None or reply.dialect == "hidden":
        return [{"content": piece} for piece in _chunks(text, reply.chunk_chars)]
    inline = {
        "think": f"<think>\n{thoughts}\n</think>\n\n{text}",
        "think_unopened": f"{thoughts}\n</think>\n\n{text}",
        "think_unclosed": f"<think>\n{thoughts}",
    }
    if reply.dialect in inline:
        return [{"content": p} for p in _chunks(inline[reply.dialect], reply.chunk_chars)]
    deltas = []
    for piece in _chunks(thoughts, reply.chunk_chars):
        details = [{"type": "reasoning.text", "text": piece, "format": "unknown", "index": 0}]
        if reply.dialect == "reasoning_details":
            deltas.append({"content": None, "reasoning_details": details})
        elif reply.dialect == "openrouter":
            deltas.append({"content": "", "reasoning": piece, "reasoning_details": details})
        else:
            deltas.append({"content": None, reply.dialect: piece})
    return deltas + [{"content": piece} for piece in _chunks(text, reply.chunk_chars)]


def _usage_chunk(model: str, text: str, reasoning_tokens: int = 0) -> dict[str, Any]:
    completion = max(1, len(text) // 4) + reasoning_tokens
    details = {"completion_tokens_details": {"reasoning_tokens": reasoning_tokens}}
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [],
        "usage": {
            "prompt_tokens": 10,
            "completion_tokens": completion,
            "total_tokens": 10 + completion,
        }
        | (details if reasoning_tokens else {}),
    }


def _completion(text: str, model: str, finish_reason: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": finish_reason,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def _error(message: str, type_: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--delay", type=float, default=0.03, help="seconds between chunks")
    parser.add_argument(
        "--script",
        default="[]",
        help='replies to give first, as JSON: [{"text": "Hi", "drop_after_chunks": 1}, '
        '{"status": 503}] (fields of ScriptedReply)',
    )
    args = parser.parse_args()
    server = FakeOpenAIServer(port=args.port, delay=args.delay).start()
    server.enqueue(*(ScriptedReply(**fields) for fields in json.loads(args.script)))
    print(f"OpenAI-compatible test server on {server.base_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()


class BlackHole:
    """A port that accepts no connection: connecting to it times out (its backlog is full)."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self._fillers = []
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(self._listener.getsockname())
            self._fillers.append(filler)

    @property
    def base_url(self) -> str:
        host, port = self._listener.getsockname()
        return f"http://{host}:{port}/v1"

    def close(self) -> None:
        for sock in (*self._fillers, self._listener):
            sock.close()


def unused_port_url() -> str:
    """A base URL where nothing listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


class SilentServer:
    """A server that takes connections and never answers: a request to it waits until it
    times out, or is cancelled. `connections` says how many reached it."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self._accepted: list[socket.socket] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._listener.getsockname()
        return f"http://{host}:{port}/v1"

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._accepted)

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                self._accepted.append(connection)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(timeout=5)
        with self._lock:
            for connection in self._accepted:
                connection.close()
