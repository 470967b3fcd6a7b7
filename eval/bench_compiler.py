"""Benchmark: compiled SQL against hand-written SQL for the same numbers, on one demo warehouse.

    python eval/bench_compiler.py --scale 30 --warehouse /work/bench/demo-30.duckdb [--build]

For each representative semantic query: its compile time (median, microseconds), then the compiled
and the hand-written SQL run in interleaved repetitions on the same warehouse in the same process,
after checking that both return the same rows. Prints the median times and their ratio per query
and overall (the geometric mean of the ratios, and the ratio of the summed medians).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

# Run as a script from any folder: this checkout's packages and the query table next to it.
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_queries import BENCH_QUERIES, BenchQuery  # noqa: E402

from semantic_layer.compiler import compile_query  # noqa: E402
from semantic_layer.loader import load_model  # noqa: E402
from semantic_layer.query import SemanticQuery  # noqa: E402

END = date(2026, 11, 30)


@dataclass
class Timing:
    name: str
    compile_us: float
    render_us: float
    compiled_ms: float
    hand_ms: float

    @property
    def ratio(self) -> float:
        return self.compiled_ms / self.hand_ms


def build(path: Path, scale: float, seed: int) -> float:
    from recsight.warehouse.demo import DemoSpec, build_demo

    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    build_demo(DemoSpec(path=path, scale=scale, seed=seed, end=END), None)
    return time.perf_counter() - started


def compile_times_us(query: SemanticQuery, repeat: int) -> tuple[float, float]:
    """Median microseconds to compile the query to a tree, and to render that as DuckDB SQL."""
    model = load_model()
    compiling, rendering = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        compiled = compile_query(model, query)
        built = time.perf_counter()
        compiled.sql()
        compiling.append((built - started) * 1e6)
        rendering.append((time.perf_counter() - built) * 1e6)
    return statistics.median(compiling), statistics.median(rendering)


def run_ms(connection: duckdb.DuckDBPyConnection, sql: str) -> tuple[float, list[Any]]:
    started = time.perf_counter()
    rows = connection.execute(sql).fetchall()
    return (time.perf_counter() - started) * 1000, rows


def same_rows(left: list[Any], right: list[Any]) -> bool:
    if len(left) != len(right):
        return False
    for a_row, b_row in zip(left, right, strict=True):
        for a, b in zip(a_row, b_row, strict=True):
            if isinstance(a, int | float | Decimal) and isinstance(b, int | float | Decimal):
                if not math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12):
                    return False
            elif a != b:
                return False
    return True


def bench(connection: duckdb.DuckDBPyConnection, item: BenchQuery, repeat: int) -> Timing:
    query = SemanticQuery.model_validate(item.query)
    compiled = compile_query(load_model(), query).sql()
    _, compiled_rows = run_ms(connection, compiled)  # warm-up, and the answer to compare
    _, hand_rows = run_ms(connection, item.hand_sql)
    if not same_rows(compiled_rows, hand_rows):
        raise SystemExit(f"{item.name}: compiled and hand-written SQL return different rows")
    compiled_times: list[float] = []
    hand_times: list[float] = []
    for round_ in range(repeat):
        # Alternate which runs first, so neither always gets the warmer cache.
        order = [("c", compiled), ("h", item.hand_sql)]
        for kind, sql in order if round_ % 2 == 0 else reversed(order):
            elapsed, _ = run_ms(connection, sql)
            (compiled_times if kind == "c" else hand_times).append(elapsed)
    return Timing(
        item.name,
        *compile_times_us(query, 200),
        statistics.median(compiled_times),
        statistics.median(hand_times),
    )


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    pages = _meminfo_kib()
    import os

    return f"{os.cpu_count()} cores, {model}, {pages / 1024 / 1024:.0f} GiB RAM"


def _meminfo_kib() -> float:
    for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("MemTotal:"):
            return float(line.split()[1])
    return 0.0


def report(timings: list[Timing], scale: float, rows: int, repeat: int) -> str:
    lines = [
        f"Scale {scale:g} ({rows:,} impressions), median of {repeat} interleaved runs; "
        f"{machine()}; duckdb {duckdb.__version__}",
        "",
        "| query | compile (µs) | render (µs) | compiled (ms) | hand-written (ms) | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for t in timings:
        lines.append(
            f"| {t.name} | {t.compile_us:,.0f} | {t.render_us:,.0f} | {t.compiled_ms:,.1f} "
            f"| {t.hand_ms:,.1f} "
            f"| {t.ratio:.2f} |"
        )
    geo = math.exp(statistics.fmean(math.log(t.ratio) for t in timings))
    total = sum(t.compiled_ms for t in timings) / sum(t.hand_ms for t in timings)
    lines.append(
        f"| **overall** | {statistics.median(t.compile_us for t in timings):,.0f} (median) "
        f"| {statistics.median(t.render_us for t in timings):,.0f} (median) "
        f"| {sum(t.compiled_ms for t in timings):,.1f} | {sum(t.hand_ms for t in timings):,.1f} "
        f"| {total:.2f} (geo. mean {geo:.2f}) |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--build", action="store_true", help="Build the demo warehouse first.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="Timed runs of each query.")
    parser.add_argument("--only", help="Comma-separated query names to run.")
    args = parser.parse_args(argv)

    if args.build:
        seconds = build(args.warehouse, args.scale, args.seed)
        print(f"Built the scale-{args.scale:g} demo warehouse in {seconds:.1f} s", flush=True)
    if not args.warehouse.is_file():
        parser.error(f"no warehouse at {args.warehouse}; add --build to create it")

    chosen = set(args.only.split(",")) if args.only else None
    timings = []
    with duckdb.connect(str(args.warehouse), read_only=True) as connection:
        row = connection.execute("SELECT count(*) FROM impressions").fetchone()
        impressions = int(row[0]) if row else 0
        for item in BENCH_QUERIES:
            if chosen is None or item.name in chosen:
                timings.append(bench(connection, item, args.repeat))
                t = timings[-1]
                print(f"  {t.name}: {t.compiled_ms:.1f} / {t.hand_ms:.1f} ms", file=sys.stderr)
    print(report(timings, args.scale, impressions, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
