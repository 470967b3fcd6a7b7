"""Benchmark: `recsight ask` as a whole process, and the built-in planner alone.

    python eval/bench_ask.py --warehouse PATH [--runs 7]

Whole-process timings include Python start-up, imports, opening the warehouse, planning, the
queries and the explanation's checks. Planner timings are in-process, per question.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

QUESTIONS = [
    "Which algorithm has the best CTR for high-value customers?",
    "Give me the algorithm overview",
    "conversion rate by placement last 7 days",
    "weekly CTR trend for the neural network",
    "top 3 categories by revenue in October",
]


def whole_process(warehouse: Path, runs: int) -> None:
    env = {**os.environ, "RECSIGHT_WAREHOUSE": str(warehouse)}
    command = [sys.executable, "-m", "recsight.cli.main", "ask"]
    print(f"{'question':60} {'median s':>9} {'min s':>7}")
    for question in QUESTIONS:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [*command, question, "--as-of", "2026-12-01"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - started)
        print(f"{question[:60]:60} {statistics.median(times):9.3f} {min(times):7.3f}")


def planner_only(warehouse: Path, runs: int) -> None:
    from recsight.answering.ask import plan_context
    from recsight.engine import Engine
    from recsight.planning.builtin import BuiltinPlanner

    engine = Engine.open(str(warehouse))
    context = plan_context(engine, date(2026, 12, 1))
    planner = BuiltinPlanner()
    times = []
    for _ in range(runs * 20):
        for question in QUESTIONS:
            started = time.perf_counter()
            planner.plan(question, context)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        f"planner: p50 {times[len(times) // 2]:.2f} ms, p99 {times[int(len(times) * 0.99)]:.2f} ms"
        f" over {len(times)} plans"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    planner_only(args.warehouse, args.runs)
    whole_process(args.warehouse, args.runs)


if __name__ == "__main__":
    main()
