"""Test support: Slack's Socket Mode end, a WebSocket server on loopback (RFC 6455, text frames).

The fake Web API's apps.connections.open hands out this server's ws:// URL. Once the bot connects
it is greeted with `hello`; tests then push envelopes and read the bot's acknowledgements.
"""

from __future__ import annotations

import base64
import hashlib
import json
import queue
import socket
import struct
import threading
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


class FakeSocketMode:
    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._client: socket.socket | None = None
        self._send_lock = threading.Lock()
        self.connected = threading.Event()
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=test"

    def start(self) -> FakeSocketMode:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        for sock in (self._client, self._listener):
            if sock is not None:
                sock.close()

    def send(self, message: dict[str, Any]) -> None:
        assert self._client is not None, "the bot has not connected"
        self._frame(TEXT, json.dumps(message).encode())

    def ack(self, timeout: float = 10.0) -> dict[str, Any]:
        """The next message the bot sent: an envelope's acknowledgement."""
        return self.received.get(timeout=timeout)

    def _accept(self) -> None:
        client, _ = self._listener.accept()
        request = b""
        while b"\r\n\r\n" not in request:
            request += client.recv(1024)
        key = next(
            line.split(":", 1)[1].strip()
            for line in request.decode().split("\r\n")
            if line.lower().startswith("sec-websocket-key:")
        )
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        client.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
        )
        self._client = client
        self.send(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0APP001"}}
        )
        self.connected.set()
        self._read(client)

    def _read(self, client: socket.socket) -> None:
        try:
            while True:
                opcode, payload = _read_frame(client)
                if opcode == TEXT:
                    self.received.put(json.loads(payload))
                elif opcode == PING:
                    self._frame(PONG, payload)
                elif opcode == CLOSE:
                    return
        except (OSError, ConnectionError):
            return

    def _frame(self, opcode: int, payload: bytes) -> None:
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x80 | opcode, size)
        elif size < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 126, size)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 127, size)
        assert self._client is not None
        with self._send_lock:
            self._client.sendall(header + payload)


def _read_exact(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _read_frame(sock: socket.socket) -> tuple[int, bytes]:
    """One client frame; clients always mask their payload."""
    first, second = _read_exact(sock, 2)
    size = second & 0x7F
    if size == 126:
        (size,) = struct.unpack("!H", _read_exact(sock, 2))
    elif size == 127:
        (size,) = struct.unpack("!Q", _read_exact(sock, 8))
    mask = _read_exact(sock, 4) if second & 0x80 else b"\0\0\0\0"
    body = _read_exact(sock, size)
    return first & 0x0F, bytes(b ^ mask[i % 4] for i, b in enumerate(body))
