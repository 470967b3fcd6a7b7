"""`recsight serve --transport http`: streamable HTTP on a loopback port, behind a bearer token."""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_session import McpSession, free_port, serve_command, server_env, start_http_server

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "raw-test", "version": "0"},
    },
}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


class Server:
    def __init__(self, url: str, token: str, log: Path) -> None:
        self.url = url
        self.token = token
        self.log = log


@pytest.fixture(scope="module")
def server(
    warehouse: Path, home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    token = secrets.token_urlsafe(32)
    port = free_port()
    log = tmp_path_factory.mktemp("http") / "server-stderr.log"
    with log.open("wb") as sink:
        process = start_http_server(warehouse, home, token, port, sink)
        try:
            yield Server(f"http://127.0.0.1:{port}/mcp", token, log)
        finally:
            process.terminate()
            process.wait(30)


def connect(url: str, token: str | None) -> Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(streamable_http_client(url, http_client=httpx2.AsyncClient(headers=headers)))


@pytest.fixture(scope="module")
def mcp(server: Server) -> Iterator[McpSession]:
    session = McpSession(lambda: connect(server.url, server.token)).start()
    yield session
    session.close()


def text_of(result: Any) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


def test_a_client_with_the_token_lists_the_tools(mcp: McpSession) -> None:
    tools = {t.name for t in mcp.run(lambda c: c.list_tools()).tools}
    assert {"query_metrics", "ask", "run_sql"} <= tools


def test_a_client_with_the_token_gets_answers(mcp: McpSession) -> None:
    answer = mcp.call("query_metrics", {"metrics": ["revenue"], "dimensions": ["algorithm"]})
    assert not answer.is_error
    rows = answer.structured_content["rows"]
    assert len(rows) == 3 and all(revenue > 0 for _, revenue in rows)
    assert "$" in text_of(answer)


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "no bearer token"),
        ({"Authorization": "Bearer not-the-token"}, "a wrong bearer token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "no bearer token"),
    ],
    ids=["missing", "wrong", "not-bearer"],
)
def test_requests_without_the_right_token_get_401(
    server: Server, headers: dict[str, str], reason: str
) -> None:
    response = httpx.post(server.url, json=INITIALIZE, headers=HEADERS | headers, timeout=30)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["error_description"] == f"Request carried {reason}."


def test_the_right_token_is_let_through(server: Server) -> None:
    headers = HEADERS | {"Authorization": f"Bearer {server.token}"}
    response = httpx.post(server.url, json=INITIALIZE, headers=headers, timeout=30)
    assert response.status_code == 200


def test_the_sdk_client_with_a_wrong_token_cannot_connect(server: Server) -> None:
    refusals = server.log.read_text().count("with a wrong bearer token")
    with pytest.raises(BaseException) as failed:
        McpSession(lambda: connect(server.url, "wrong-token-of-some-length")).start()
    assert "Server returned an error response" in " ".join(messages(failed.value))
    assert server.log.read_text().count("with a wrong bearer token") > refusals


def messages(error: BaseException) -> list[str]:
    """Every message in an exception and the groups and causes it wraps."""
    found = [str(error)]
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found += messages(inner)
    for linked in (error.__cause__, error.__context__):
        if linked is not None:
            found += messages(linked)
    return found


def test_a_ten_megabyte_argument_is_a_tool_error_and_the_server_keeps_serving(
    mcp: McpSession,
) -> None:
    result = mcp.call("run_sql", {"sql": "SELECT '" + "x" * 10_000_000 + "'"})
    assert result.is_error and "'sql' is too long" in text_of(result)
    result = mcp.call("run_sql", {"sql": "DROP TABLE impressions"})
    assert result.is_error and "Only SELECT queries are allowed" in text_of(result)
    assert not mcp.call("list_metrics", {}).is_error


def test_the_token_never_reaches_the_log(server: Server, mcp: McpSession) -> None:
    mcp.call("list_metrics", {})
    httpx.post(server.url, json=INITIALIZE, headers=HEADERS | {"Authorization": "Bearer x"})
    log = server.log.read_text()
    assert "refused an HTTP request from 127.0.0.1 with a wrong bearer token" in log
    assert "list_metrics answered" in log
    assert server.token not in log


def run_serve(
    warehouse: Path, home: Path, *flags: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        serve_command(warehouse, "--transport", "http", *flags),
        env=server_env(home, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serving_http_without_a_token_is_refused_in_one_line(warehouse: Path, home: Path) -> None:
    done = run_serve(warehouse, home, "--port", str(free_port()))
    assert done.returncode == 2
    assert "needs a bearer token: set RECSIGHT_MCP_TOKEN or pass --token-file" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_short_token_file_is_refused(warehouse: Path, home: Path, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("short\n")
    done = run_serve(warehouse, home, "--token-file", str(token_file))
    assert done.returncode == 2 and "is too short (5 characters)" in done.stderr


def test_a_busy_port_is_refused_in_one_line(warehouse: Path, home: Path, server: Server) -> None:
    port = server.url.split(":")[2].split("/")[0]
    done = run_serve(warehouse, home, "--port", port, RECSIGHT_MCP_TOKEN=server.token)
    assert done.returncode == 2
    assert f"Can't listen on 127.0.0.1:{port}" in done.stderr
