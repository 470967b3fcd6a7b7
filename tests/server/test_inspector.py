"""The MCP Inspector's command-line mode, from the npm registry, against `recsight serve`.

The Inspector is pinned: on Node 20 a bare `npx @modelcontextprotocol/inspector` resolves to an
old release, because newer ones declare Node 22 in `engines` (they run on 20 with a warning). It is
installed once into a cache folder: RECSIGHT_INSPECTOR_DIR, else one in the temp directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp_session import ROOT, free_port, start_http_server

INSPECTOR_VERSION = "2.12.0"
"""The newest Inspector release; checked to run on Node 20.20 despite declaring Node >= 22.19."""
PACKAGE = f"@modelcontextprotocol/inspector@{INSPECTOR_VERSION}"

pytestmark = pytest.mark.inspector


@pytest.fixture(scope="session")
def inspector() -> Path:
    """The Inspector's launcher, installed with npm on first use."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None or shutil.which("npx") is None:
        pytest.skip("node, npm and npx are needed to run the MCP Inspector CLI (Node.js 20+)")
    default = Path(tempfile.gettempdir()) / f"recsight-inspector-{INSPECTOR_VERSION}"
    folder = Path(os.environ.get("RECSIGHT_INSPECTOR_DIR") or default)
    launcher = folder / "node_modules" / ".bin" / "mcp-inspector"
    if not launcher.exists():
        # Install beside the target and rename, so an interrupted install is never mistaken
        # for a finished one.
        staging = folder.with_name(f"{folder.name}.installing-{os.getpid()}")
        command = [npm, "install", "--prefix", str(staging), "--no-audit", "--no-fund", PACKAGE]
        subprocess.run(command, check=True, capture_output=True, timeout=280)
        if not launcher.exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            staging.rename(folder)
        else:
            shutil.rmtree(staging, ignore_errors=True)
    return launcher


TOOL_IS_ERROR = 5
"""The Inspector CLI's exit code when a tool result has isError: true."""


def run_inspector(
    inspector: Path, target: list[str], *args: str, exit_code: int = 0
) -> dict[str, Any]:
    command = [str(inspector), "--cli", "--format", "json", *target, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == exit_code, done.stderr[-2_000:]
    return json.loads(done.stdout)["result"]


@pytest.fixture(scope="module")
def stdio_target(warehouse: Path, home: Path) -> list[str]:
    """The server as the Inspector launches it: our interpreter and worktree, as Claude would."""
    env = [f"PYTHONPATH={ROOT}", f"RECSIGHT_HOME={home}"]
    flags = [part for pair in env for part in ("-e", pair)]
    serve = ["-m", "recsight.cli.main", "serve", "--warehouse", str(warehouse)]
    return [*flags, sys.executable, *serve]


def test_the_inspector_lists_the_tools_with_portable_schemas(
    inspector: Path, stdio_target: list[str]
) -> None:
    command = [str(inspector), "--cli", "--strict", *stdio_target, "--method", "tools/list"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2_000:]
    tools = {t["name"] for t in json.loads(done.stdout)["tools"]}
    assert {"query_metrics", "ask", "run_sql", "list_metrics"} <= tools
    assert "Warning: tool" not in done.stderr, done.stderr


def test_the_inspector_calls_query_metrics(inspector: Path, stdio_target: list[str]) -> None:
    arguments = {"metrics": ["ctr"], "dimensions": ["algorithm"], "order_by": ["-ctr"]}
    result = run_inspector(
        inspector,
        stdio_target,
        *("--method", "tools/call", "--tool-name", "query_metrics"),
        *("--tool-args-json", json.dumps(arguments)),
    )
    assert result["isError"] is False
    rows = result["structuredContent"]["rows"]
    assert rows[0][0] == "Neural Network"
    assert "| algorithm | ctr |" in result["content"][0]["text"]


def test_the_inspector_calls_ask(inspector: Path, stdio_target: list[str]) -> None:
    result = run_inspector(
        inspector,
        stdio_target,
        *("--method", "tools/call", "--tool-name", "ask"),
        *("--tool-args-json", json.dumps({"question": "revenue by category"})),
    )
    assert result["isError"] is False
    content = result["structuredContent"]
    assert content["columns"] == ["category", "revenue"] and len(content["rows"]) == 4


def test_the_inspector_sees_a_guard_refusal_as_a_tool_error(
    inspector: Path, stdio_target: list[str]
) -> None:
    result = run_inspector(
        inspector,
        stdio_target,
        *("--method", "tools/call", "--tool-name", "run_sql"),
        *("--tool-args-json", json.dumps({"sql": "DROP TABLE impressions"})),
        exit_code=TOOL_IS_ERROR,
    )
    assert result["isError"] is True
    assert "Only SELECT queries are allowed" in result["content"][0]["text"]


@pytest.fixture(scope="module")
def http_server(
    warehouse: Path, home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    token = "inspector-test-token-0123456789"
    port = free_port()
    with (tmp_path_factory.mktemp("inspector") / "stderr.log").open("wb") as log:
        process = start_http_server(warehouse, home, token, port, log)
        try:
            yield f"http://127.0.0.1:{port}/mcp", token
        finally:
            process.terminate()
            process.wait(30)


def test_the_inspector_calls_ask_over_http_with_the_token(
    inspector: Path, http_server: tuple[str, str]
) -> None:
    url, token = http_server
    target = ["--transport", "http", "--server-url", url]
    target += ["--header", f"Authorization: Bearer {token}"]
    result = run_inspector(
        inspector,
        target,
        *("--method", "tools/call", "--tool-name", "ask"),
        *("--tool-args-json", json.dumps({"question": "CTR by device"})),
    )
    assert result["isError"] is False
    assert result["structuredContent"]["columns"] == ["device", "ctr"]
