"""Build the demo warehouse: a mid-market fashion shop running three recommendation algorithms.

The data is calibrated to the dashboard of the personalization analytics guide (demo_targets)
and carries the texture later questions need: weekly and daily rhythm, an A/B test of the neural
network, a day of impressions logged without customer ids, a 5% holdout that sees no
recommendations. Everything is generated inside DuckDB from hashes of row keys and the seed, so
the same spec always gives the same data. The file is built under a temporary name next to the
target and renamed into place only when complete.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from recsight.warehouse import demo_customers, demo_mixes, demo_orders, demo_products, demo_traffic
from recsight.warehouse.demo_sql import MACROS_SQL, set_variables
from semantic_layer.errors import WarehouseError

log = logging.getLogger(__name__)

GENERATOR_VERSION = "1.0"
SPAN_DAYS = 91
AB_TEST_DAYS = 28  # the neural network A/B test runs over the last four weeks
TRACKING_BUG_DAYS_BEFORE_END = 20

Progress = Callable[[str, float], None]


@dataclass(frozen=True, kw_only=True)
class DemoSpec:
    """What to build: where, how big (1 = about 3.28M impressions), which seed, which quarter."""

    path: Path
    scale: float = 1.0
    seed: int = 7
    end: date  # last day covered, inclusive; the span is the 91 days ending here

    @property
    def start(self) -> date:
        return self.end - timedelta(days=SPAN_DAYS - 1)

    @property
    def tracking_bug_date(self) -> date:
        return self.end - timedelta(days=TRACKING_BUG_DAYS_BEFORE_END)

    @property
    def ab_test_start(self) -> date:
        return self.end - timedelta(days=AB_TEST_DAYS - 1)


def build_demo(spec: DemoSpec, progress: Progress | None = None) -> Path:
    """Build the demo warehouse at `spec.path`, replacing any file there, and return the path."""
    target = _checked_target(spec)
    _remove_abandoned_builds(target)
    building = target.with_name(f".{target.name}.building-{os.getpid()}")
    report = progress or _silent
    started = time.perf_counter()

    try:
        with duckdb.connect(str(building)) as con:
            _run_steps(con, spec, report)
            counts = {table: _count(con, table) for table in ("impressions", "orders")}
        os.replace(building, target)
    except (duckdb.IOException, OSError) as exc:
        _remove(building)
        raise WarehouseError(f"Could not write the demo warehouse '{target}': {exc}") from exc
    except BaseException:
        _remove(building)
        raise

    report("done", 1.0)
    log.info(
        "built demo warehouse %s in %.1fs: %d impressions, %d orders (scale %s, seed %d)",
        target, time.perf_counter() - started, counts["impressions"], counts["orders"],
        spec.scale, spec.seed,
    )  # fmt: skip
    return target


def _run_steps(con: duckdb.DuckDBPyConnection, spec: DemoSpec, report: Progress) -> None:
    for fraction, description, step in _steps(spec):
        report(description, fraction)
        started = time.perf_counter()
        step(con)
        log.debug("demo step %s took %.2fs", description, time.perf_counter() - started)


def _steps(spec: DemoSpec) -> list[tuple[float, str, Callable[[duckdb.DuckDBPyConnection], None]]]:
    """(share of the build done when the step starts, what it does, the step)."""
    customers = demo_customers.customer_count(spec.scale)
    return [
        (0.00, "preparing", lambda con: _prepare(con, spec, customers)),
        (0.02, "customers", lambda con: demo_customers.build_customers(con, customers)),
        (0.04, "products", demo_products.build_products),
        (0.05, "traffic plan", demo_traffic.build_strata),
        (0.06, "impressions", demo_traffic.build_impressions),
        (0.85, "clicks", demo_traffic.build_clicks),
        (0.90, "orders", demo_orders.build_orders),
        (0.97, "bestsellers", demo_orders.mark_top_sellers),
        (0.98, "saving", lambda con: _finish(con, spec)),
    ]


def _prepare(con: duckdb.DuckDBPyConnection, spec: DemoSpec, customers: int) -> None:
    """Session settings, macros, build parameters and the traffic mixes."""
    con.execute("SET threads = ?", [os.cpu_count() or 1])
    # Row order inside the big tables carries no meaning; not keeping it saves memory and time.
    con.execute("SET preserve_insertion_order = false")
    set_variables(
        con,
        {
            "seed": spec.seed,
            "start_date": spec.start,
            "end_date": spec.end,
            "end_ts": datetime.combine(spec.end, datetime.max.time()).replace(microsecond=0),
            "tracking_bug_date": spec.tracking_bug_date,
            "ab_test_start": spec.ab_test_start,
            "span_days": SPAN_DAYS,
            "customer_count": customers,
            "customer_step": demo_customers.coprime_step(customers, spec.seed % 1000),
            "customer_shift": spec.seed * 7919 % customers,
        },
    )
    con.execute(MACROS_SQL)
    demo_mixes.load_mixes(con, spec.scale)


def _finish(con: duckdb.DuckDBPyConnection, spec: DemoSpec) -> None:
    info = {
        "generator_version": GENERATOR_VERSION,
        "seed": str(spec.seed),
        "scale": f"{spec.scale:g}",
        "start_date": spec.start.isoformat(),
        "end_date": spec.end.isoformat(),
        "tracking_bug_date": spec.tracking_bug_date.isoformat(),
        "ab_test_start": spec.ab_test_start.isoformat(),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    con.execute("CREATE TABLE warehouse_info (key VARCHAR, value VARCHAR)")
    con.executemany("INSERT INTO warehouse_info VALUES (?, ?)", list(info.items()))
    con.execute("CHECKPOINT")


def _checked_target(spec: DemoSpec) -> Path:
    """The absolute path to build, after checking every argument; raises WarehouseError."""
    scale = spec.scale
    if isinstance(scale, bool) or not isinstance(scale, int | float):
        raise WarehouseError(f"Demo scale must be a number, got {scale!r}.")
    if not (math.isfinite(scale) and scale > 0):
        raise WarehouseError(
            f"Demo scale must be a positive number, got {scale!r}.",
            hint="Scale 1 builds about 3.28M impressions, 30 about 100M.",
        )
    seed = spec.seed
    if isinstance(seed, bool) or not isinstance(seed, int) or not -(2**63) <= seed < 2**63:
        raise WarehouseError(f"Demo seed must be a 64-bit integer, got {seed!r}.")
    if isinstance(spec.end, datetime) or not isinstance(spec.end, date):
        raise WarehouseError(f"Demo end must be a date, got {spec.end!r}.")

    target = Path(spec.path).expanduser().absolute()
    if target.is_dir():
        raise WarehouseError(f"Demo warehouse path '{target}' is a directory, not a file.")
    if not target.parent.is_dir():
        raise WarehouseError(
            f"Cannot write demo warehouse '{target}': directory '{target.parent}' does not exist."
        )
    writable = os.access(target.parent, os.W_OK) and (
        not target.exists() or os.access(target, os.W_OK)
    )
    if not writable:
        raise WarehouseError(f"Cannot write demo warehouse '{target}': permission denied.")
    return target


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _remove(path: Path) -> None:
    """Remove a partial build: the file, its write-ahead log and DuckDB's spill directory."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(path.with_name(path.name + ".tmp"), ignore_errors=True)


def _remove_abandoned_builds(target: Path) -> None:
    """Clear partial builds of `target` left by processes that died before cleaning up."""
    prefix = f".{target.name}.building-"
    pids = {p.name[len(prefix) :].split(".", 1)[0] for p in target.parent.glob(prefix + "*")}
    for pid in sorted(pid for pid in pids if pid.isdigit() and not _running(int(pid))):
        partial = target.with_name(prefix + pid)
        log.warning("removing abandoned partial demo build %s", partial)
        _remove(partial)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _silent(_step: str, _fraction: float) -> None:
    pass
