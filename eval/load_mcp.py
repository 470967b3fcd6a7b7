"""Load test for `recsight serve --transport http`: concurrent MCP clients on loopback.

Starts the server on a free 127.0.0.1 port with a fresh token (or uses --url and
RECSIGHT_MCP_TOKEN), runs N clients, each with its own MCP session, calling a mix of tools for a
fixed time, then reports throughput, failures and p50/p99 latency per tool.

    python eval/load_mcp.py --warehouse demo.duckdb --clients 20 --seconds 30

Bounded on purpose: loopback URLs only, at most 50 clients and 120 seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

MAX_CLIENTS = 50
MAX_SECONDS = 120.0
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# What a client's model does in a session: mostly structured queries, some catalog look-ups.
MIX: list[tuple[str, dict[str, Any]]] = [
    ("query_metrics", {"metrics": ["ctr", "clicks"], "dimensions": ["algorithm"]}),
    ("query_metrics", {"metrics": ["revenue", "conversion_rate"], "dimensions": ["category"]}),
    ("query_metrics", {"metrics": ["ctr"], "dimensions": ["algorithm", "clv_tier"]}),
    ("query_metrics", {"metrics": ["ctr"], "dimensions": ["date:week"], "order_by": ["date_week"]}),
    ("ask", {"question": "Which algorithm has the best CTR for high-value customers?"}),
    ("list_metrics", {}),
    ("get_dimension_values", {"dimension": "placement"}),
    ("compile_sql", {"metrics": ["aov"], "dimensions": ["device"], "dialect": "snowflake"}),
    ("run_sql", {"sql": "SELECT device, count(*) AS n FROM impressions GROUP BY device"}),
]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)


async def client_loop(url: str, token: str, deadline: float, offset: int, tally: Tally) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    http = httpx2.AsyncClient(headers=headers, timeout=60)
    async with Client(streamable_http_client(url, http_client=http)) as client:
        step = offset
        while time.monotonic() < deadline:
            tool, arguments = MIX[step % len(MIX)]
            step += 1
            started = time.perf_counter()
            try:
                result = await client.call_tool(tool, arguments)
                failed = bool(result.is_error)
                if failed:
                    tally.errors.append(f"{tool}: {result.content[0].text[:200]}")
            except Exception as error:  # counted, reported, and the client carries on
                failed = True
                tally.errors.append(f"{tool}: {type(error).__name__}: {error}"[:200])
            tally.latencies[tool].append((time.perf_counter() - started) * 1000)
            if failed:
                tally.failures[tool] += 1


async def run_load(url: str, token: str, clients: int, seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(client_loop(url, token, deadline, i, tally) for i in range(clients)))
    return tally, time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(tally: Tally, elapsed: float, clients: int) -> dict[str, Any]:
    every = [ms for values in tally.latencies.values() for ms in values]
    per_tool = {
        tool: {
            "calls": len(values),
            "failures": tally.failures[tool],
            "p50_ms": round(statistics.median(values), 1),
            "p99_ms": round(percentile(values, 0.99), 1),
        }
        for tool, values in sorted(tally.latencies.items())
    }
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "calls": len(every),
        "failures": sum(tally.failures.values()),
        "calls_per_second": round(len(every) / elapsed, 1),
        "p50_ms": round(statistics.median(every), 1) if every else None,
        "p99_ms": round(percentile(every, 0.99), 1) if every else None,
        "tools": per_tool,
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "first_errors": tally.errors[:5],
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def report(result: dict[str, Any]) -> str:
    lines = [
        f"{result['clients']} clients for {result['seconds']} s on {result['cpus']} CPUs "
        f"({result['cpu_model']}), load average {result['load_average_1m']} at the end",
        f"calls: {result['calls']}, failures: {result['failures']}, "
        f"throughput: {result['calls_per_second']} calls/s, "
        f"latency p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms",
        "",
        f"{'tool':<22}{'calls':>7}{'failed':>8}{'p50 ms':>9}{'p99 ms':>9}",
    ]
    for tool, row in result["tools"].items():
        lines.append(
            f"{tool:<22}{row['calls']:>7}{row['failures']:>8}{row['p50_ms']:>9}{row['p99_ms']:>9}"
        )
    lines += [f"error: {e}" for e in result["first_errors"]]
    return "\n".join(lines)


def start_server(warehouse: str | None, token: str) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "recsight.cli.main", "serve", "--transport", "http"]
    command += ["--port", str(port)] + (["--warehouse", warehouse] if warehouse else [])
    env = os.environ | {"RECSIGHT_MCP_TOKEN": token, "RECSIGHT_LOG": "WARNING"}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server, f"http://127.0.0.1:{port}/mcp"
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server exited with code {server.returncode}") from None
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start listening within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warehouse", help="DuckDB file for the server this script starts.")
    parser.add_argument("--url", help="Use a running server (token from RECSIGHT_MCP_TOKEN).")
    parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")
    args = parser.parse_args()
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--clients must be 1-{MAX_CLIENTS} and --seconds at most {MAX_SECONDS:g}")
    if args.url and urlparse(args.url).hostname not in LOOPBACK:
        parser.error("--url must be a loopback address (127.0.0.1, localhost or ::1)")

    server = None
    if args.url:
        url, token = args.url, os.environ.get("RECSIGHT_MCP_TOKEN", "")
    else:
        token = secrets.token_urlsafe(32)
        server, url = start_server(args.warehouse, token)
    try:
        tally, elapsed = asyncio.run(run_load(url, token, args.clients, args.seconds))
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
    result = summary(tally, elapsed, args.clients)
    print(json.dumps(result, indent=2) if args.json else report(result))
    raise SystemExit(1 if result["failures"] else 0)


if __name__ == "__main__":
    main()
