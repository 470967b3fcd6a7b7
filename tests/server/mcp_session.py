"""A real MCP client session (the SDK's `Client`) driven synchronously from tests.

The client lives on its own event loop in a background thread, so a module can share one server
process across many tests. Every call goes through the real transport (stdio or streamable HTTP).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Any, TypeVar

from mcp import Client
from mcp.client.stdio import StdioServerParameters

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
"""The worktree under test: the server subprocess imports recsight from here."""
TIMEOUT_S = 120.0

Job = tuple[Callable[[Client], Awaitable[Any]], concurrent.futures.Future[Any]]


def server_env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        "PYTHONPATH": str(ROOT),
        "RECSIGHT_HOME": str(home),
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(home)),
    }
    return env | extra


def serve_command(warehouse: Path, *flags: str) -> list[str]:
    command = [sys.executable, "-m", "recsight.cli.main", "serve"]
    return [*command, "--warehouse", str(warehouse), *flags]


def stdio_parameters(warehouse: Path, home: Path) -> StdioServerParameters:
    command = serve_command(warehouse)
    return StdioServerParameters(command=command[0], args=command[1:], env=server_env(home))


class McpSession:
    """Open with `start()`, call with `run(lambda client: client.call_tool(...))`, `close()`."""

    def __init__(self, connect: Callable[[], Client]) -> None:
        self._connect = connect
        self._jobs: asyncio.Queue[Job | None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._main, daemon=True, name="mcp-client")

    def start(self) -> McpSession:
        self._thread.start()
        if not self._ready.wait(TIMEOUT_S):
            raise TimeoutError("the MCP client did not connect in time")
        if self._failure is not None:
            raise self._failure
        return self

    def run(self, job: Callable[[Client], Awaitable[T]]) -> T:
        assert self._loop is not None and self._jobs is not None
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._loop.call_soon_threadsafe(self._jobs.put_nowait, (job, future))
        return future.result(TIMEOUT_S)

    def call(self, tool: str, arguments: dict[str, Any]) -> Any:
        return self.run(lambda client: client.call_tool(tool, arguments))

    def close(self) -> None:
        if self._loop is not None and self._jobs is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._jobs.put_nowait, None)
        self._thread.join(TIMEOUT_S)

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:  # reported to the test thread by start()
            self._failure = error
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._jobs = asyncio.Queue()
        async with self._connect() as client:
            self._ready.set()
            while (item := await self._jobs.get()) is not None:
                job, future = item
                try:
                    future.set_result(await job(client))
                except Exception as error:
                    future.set_exception(error)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_http_server(
    warehouse: Path, home: Path, token: str, port: int, log: IO[bytes]
) -> subprocess.Popen[bytes]:
    """`recsight serve --transport http` as a subprocess, returned once it accepts connections."""
    process = subprocess.Popen(
        serve_command(warehouse, "--transport", "http", "--port", str(port)),
        env=server_env(home, RECSIGHT_MCP_TOKEN=token),
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the HTTP server exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise TimeoutError("the HTTP server did not start listening in time")
