"""Test support: a fake Slack Web API on loopback.

The fake answers the way Slack does (`{"ok": true, ...}` JSON, a `ts` per posted message, the
three-step external file upload) and records every call, so tests can assert what the bot posted,
where, and in which thread. It can be told to fail a method with an HTTP status a number of times.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_TOKEN = "xoxb-test-7e1f0c2d9a"
APP_TOKEN = "xapp-1-test-4d2a9e"
SIGNING_SECRET = "test-signing-secret-5b8c31"
BOT_USER = "UBOT0001"
TEAM = "T0TEAM01"
JSON_FIELDS = ("blocks", "files", "attachments")


@dataclass
class Call:
    """One request the bot made: a Web API method, a file upload, or a post to a response_url."""

    method: str
    params: dict[str, Any]
    authorized: bool
    status: int = 200
    data: bytes = b""
    reply: dict[str, Any] = field(default_factory=dict)
    """What the fake answered, e.g. the `ts` of a posted message."""


@dataclass
class FakeSlack:
    """A Slack Web API on 127.0.0.1 that records calls; `url` is the base URL for the SDK."""

    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[int]] = field(default_factory=dict)
    refusals: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _server: ThreadingHTTPServer | None = None
    socket_url: str = ""
    """What apps.connections.open hands out: the Socket Mode fake's ws:// URL."""

    @property
    def root(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def url(self) -> str:
        return f"{self.root}/api/"

    def start(self) -> FakeSlack:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def fail(self, method: str, status: int, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP `status`."""
        with self._lock:
            self.failures[method] = [status] * times

    def refuse(self, method: str, error: str) -> None:
        """Answer the next call of `method` as Slack refuses: HTTP 200, ok false, an error code."""
        with self._lock:
            self.refusals[method] = error

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.failures.clear()
            self.refusals.clear()

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and c.status == 200]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 30.0,
        where: Callable[[Call], bool] = lambda c: True,
    ) -> list[Call]:
        """The first `count` successful calls of `method` matching `where`, waiting for them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [c for c in self.of(method) if where(c)]
            if len(found) >= count:
                return found
            time.sleep(0.05)
        seen = [(c.method, c.status) for c in self.calls]
        raise AssertionError(f"waited {timeout:g} s for {count} x {method}; calls so far: {seen}")

    def files_in(self, channel: str, thread_ts: str) -> list[tuple[str, bytes]]:
        """(filename, content) of each file shared into the thread, in order."""
        with self._lock:
            calls = list(self.calls)
        names = {
            c.reply.get("file_id"): c.params.get("filename")
            for c in calls
            if c.method == "files.getUploadURLExternal"
        }
        contents = {c.params["file_id"]: c.data for c in calls if c.method == "upload"}
        return [
            (str(names.get(f["id"])), contents.get(f["id"], b""))
            for c in calls
            if c.method == "files.completeUploadExternal" and c.reply.get("ok")
            if (c.params.get("channel_id"), c.params.get("thread_ts")) == (channel, thread_ts)
            for f in c.params["files"]
        ]

    def wait_for_files(
        self, channel: str, thread_ts: str, suffix: str, timeout: float = 30.0
    ) -> list[bytes]:
        """The content of the files named *suffix shared into the thread, once there is one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [
                data for name, data in self.files_in(channel, thread_ts) if name.endswith(suffix)
            ]
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no {suffix} file in {channel}/{thread_ts} after {timeout:g} s")

    # -- what Slack answers ------------------------------------------------------------------

    def next_ts(self) -> str:
        return f"{1764000000 + next(self._ts)}.000100"

    def respond(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://recsight-test.slack.com/",
                "team": "Test",
                "user": "recsight",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": "BBOT0001",
            }
        if method == "chat.postMessage":
            ts = self.next_ts()
            message = {"text": params.get("text", ""), "ts": ts, "user": BOT_USER}
            if params.get("thread_ts"):
                message["thread_ts"] = params["thread_ts"]
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self.next_ts()}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):07d}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.root}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = [{"id": f["id"], "title": f.get("title")} for f in params.get("files", [])]
            return {"ok": True, "files": files}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method in ("reactions.add", "files.info"):
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = self.path.split("?", 1)[0]
            if path.startswith("/upload/"):
                self._record(Call("upload", {"file_id": path.rsplit("/", 1)[1]}, True, data=raw))
                self._send(200, f"OK - {len(raw)}".encode(), "text/plain")
                return
            if path.startswith("/respond/"):
                self._record(Call("response_url", json.loads(raw or b"{}"), True))
                self._send(200, b"ok", "text/plain")
                return
            method = path.removeprefix("/api/")
            params = _params(raw, self.headers.get("Content-Type", ""))
            token = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
            authorized = self.headers.get("Authorization") == f"Bearer {token}"
            with fake._lock:
                pending = fake.failures.get(method) or []
                status = pending.pop(0) if pending else 200
                refusal = fake.refusals.pop(method, None)
            call = Call(method, params, authorized, status)
            if status != 200:
                self._record(call)
                self._send(status, b"<html>Slack is having trouble</html>", "text/html")
                return
            if refusal:
                call.reply = {"ok": False, "error": refusal}
            else:
                call.reply = fake.respond(method, params) if authorized else _refused
            self._record(call)
            self._send_json(call.reply)

        def _record(self, call: Call) -> None:
            with fake._lock:
                fake.calls.append(call)

        def _send_json(self, payload: dict[str, Any]) -> None:
            self._send(200, json.dumps(payload).encode(), "application/json; charset=utf-8")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


_refused = {"ok": False, "error": "invalid_auth"}


def _params(raw: bytes, content_type: str) -> dict[str, Any]:
    if "json" in content_type:
        params: dict[str, Any] = json.loads(raw or b"{}")
    else:
        params = dict(parse_qsl(raw.decode()))
    for name in JSON_FIELDS:
        if isinstance(params.get(name), str):
            params[name] = json.loads(params[name])
    return params
