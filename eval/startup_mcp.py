"""Start-up time of `recsight serve` (stdio): from spawning the process to the tools/list reply.

Speaks raw JSON-RPC over the pipes, so the client adds no import time of its own. Also times a
bare `import mcp.server.mcpserver`, the share of start-up that belongs to the MCP SDK. CPU time
(the serve figure includes shutting down) is less sensitive than wall time to a busy machine.

    python eval/startup_mcp.py --warehouse demo.duckdb --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

REQUESTS = [
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "startup-timer", "version": "0"},
        },
    },
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
]


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_startup(command: list[str]) -> float:
    started = time.perf_counter()
    server = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert server.stdin is not None and server.stdout is not None
    for request in REQUESTS:
        server.stdin.write((json.dumps(request) + "\n").encode())
        server.stdin.flush()
        if "id" in request:
            reply = json.loads(server.stdout.readline())
    elapsed = time.perf_counter() - started
    assert len(reply["result"]["tools"]) >= 7, reply
    server.communicate(timeout=30)
    return elapsed


def time_sdk_import() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import mcp.server.mcpserver"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    command = [sys.executable, "-m", "recsight.cli.main", "serve", "--warehouse", args.warehouse]
    before = child_cpu()
    startups = [time_startup(command) for _ in range(args.runs)]
    serve_cpu = (child_cpu() - before) / args.runs
    before = child_cpu()
    imports = [time_sdk_import() for _ in range(args.runs)]
    import_cpu = (child_cpu() - before) / args.runs
    load = os.getloadavg()[0]
    for label, times, cpu in (
        ("spawn to tools/list reply", startups, serve_cpu),
        ("bare SDK import", imports, import_cpu),
    ):
        print(
            f"{label}: median {statistics.median(times):.2f} s, best {min(times):.2f} s "
            f"(CPU time {cpu:.2f} s per run)"
        )
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} while measuring")


if __name__ == "__main__":
    main()
