"""A real HTTP server on 127.0.0.1 that speaks the Chat Completions protocol and replies from a
per-test script, recording every request it gets. Test support, not a test module."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL = "scripted-model"
KEY = "test-key"


@dataclass
class Step:
    """One scripted HTTP reply."""

    status: int = 200
    body: Any = None
    """A dict or list is sent as JSON; a str is sent as-is, as text/plain."""
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    def text(self) -> str:
        """Everything the request sent to the model, as one string to search."""
        return json.dumps(self.body, ensure_ascii=False)


def reply(content: str | None = None, *, tool_calls: list[dict[str, Any]] | None = None) -> Step:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return Step(
        body={
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": MODEL,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if tool_calls else "stop",
                }
            ],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        }
    )


def tool(name: str, arguments: dict[str, Any] | str, call_id: str = "call_1") -> Step:
    """A reply calling one tool."""
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    call = {"id": call_id, "type": "function", "function": {"name": name, "arguments": text}}
    return reply(None, tool_calls=[call])


def json_reply(value: dict[str, Any]) -> Step:
    return reply(json.dumps(value))


def error(status: int, message: str, **headers: str) -> Step:
    return Step(
        status=status, body={"error": {"message": message, "type": "error"}}, headers=headers
    )


Handler = Callable[[Request], Step]


class ScriptedServer:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.served_models = [MODEL]
        self.key: str | None = KEY
        self._script: list[Step | Handler] = []
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._http.daemon_threads = True
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def script(self, *steps: Step | Handler) -> None:
        with self._lock:
            self._script = list(steps)

    @property
    def chats(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _next(self, request: Request) -> Step:
        with self._lock:
            self.requests.append(request)
            if request.path.endswith("/models"):
                return Step(
                    body={"object": "list", "data": [{"id": m} for m in self.served_models]}
                )
            if (
                self.key is not None
                and request.headers.get("authorization") != f"Bearer {self.key}"
            ):
                return error(401, "Incorrect API key provided.")
            if not self._script:
                return error(500, "the test script has no more replies")
            step = self._script.pop(0)
        return step(request) if callable(step) else step

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b"{}"
                self._answer(json.loads(raw or b"{}"))

            def do_GET(self) -> None:
                self._answer({})

            def _answer(self, body: dict[str, Any]) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                step = server._next(Request(self.path, headers, body))
                if step.delay_s:
                    time.sleep(step.delay_s)
                if isinstance(step.body, str):
                    payload, kind = step.body.encode(), "text/plain"
                else:
                    payload, kind = json.dumps(step.body).encode(), "application/json"
                try:
                    self.send_response(step.status)
                    self.send_header("content-type", kind)
                    self.send_header("content-length", str(len(payload)))
                    for name, value in step.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test); nothing to do

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output quiet

        return Handler
