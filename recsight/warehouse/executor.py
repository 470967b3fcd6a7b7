"""Run SQL on a DuckDB warehouse: read-only, no file or network access, bounded in rows and time."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from semantic_layer.errors import GuardError, WarehouseError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_ROW_CAP = 10_000

_SANDBOX = {
    "enable_external_access": "false",
    "autoinstall_known_extensions": "false",
    "autoload_known_extensions": "false",
    "allow_community_extensions": "false",
    "lock_configuration": "true",
}


@dataclass(frozen=True)
class Result:
    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool
    elapsed_ms: float


class Warehouse:
    """A read-only DuckDB file. Each query gets its own cursor, so threads can share one."""

    def __init__(
        self, path: Path, *, timeout_s: float = DEFAULT_TIMEOUT_S, row_cap: int = DEFAULT_ROW_CAP
    ) -> None:
        if not path.is_file():
            raise WarehouseError(
                f"Warehouse file '{path}' does not exist.",
                hint="Create the demo with `recsight demo`, or point --warehouse "
                "(or RECSIGHT_WAREHOUSE) at a DuckDB file.",
            )
        self.path = path
        self.timeout_s = timeout_s
        self.row_cap = row_cap
        try:
            self._connection = duckdb.connect(str(path), read_only=True, config=dict(_SANDBOX))
        except duckdb.Error as error:
            raise WarehouseError(
                f"Could not open warehouse '{path}': {_first_line(error)}",
                hint="Is it a DuckDB database file?",
            ) from None
        self._running: set[duckdb.DuckDBPyConnection] = set()
        self._lock = threading.Lock()
        self._info: dict[str, str] | None = None

    def run(
        self, sql: str, *, row_cap: int | None = None, timeout_s: float | None = None
    ) -> Result:
        """Execute one statement; more rows than the cap are cut and flagged `truncated`."""
        cap = row_cap or self.row_cap
        limit = timeout_s or self.timeout_s
        cursor = self._connection.cursor()
        try:
            statement = _one_select(cursor, sql)
        except Exception:
            cursor.close()
            raise
        fired = threading.Event()

        def stop() -> None:
            fired.set()
            cursor.interrupt()

        timer = threading.Timer(limit, stop)
        started = time.perf_counter()
        with self._lock:
            self._running.add(cursor)
        timer.start()
        try:
            relation = cursor.execute(statement)
            columns = [d[0] for d in relation.description or []]
            types = [str(d[1]) for d in relation.description or []]
            rows = relation.fetchmany(cap + 1)
        except duckdb.InterruptException:
            if fired.is_set():
                raise WarehouseError(
                    f"The query ran longer than {limit:g} s and was stopped.",
                    hint="Narrow the time range or group by fewer dimensions.",
                ) from None
            raise WarehouseError("The query was cancelled.") from None
        except duckdb.Error as error:
            raise WarehouseError(f"The warehouse refused the query: {_first_line(error)}") from None
        finally:
            timer.cancel()
            with self._lock:
                self._running.discard(cursor)
            cursor.close()
        elapsed = (time.perf_counter() - started) * 1000
        log.info("query ran in %.1f ms, %d rows", elapsed, min(len(rows), cap))
        return Result(columns, types, rows[:cap], len(rows) > cap, elapsed)

    def interrupt(self) -> None:
        """Stop every running query (Ctrl-C in the chat)."""
        with self._lock:
            for cursor in list(self._running):
                cursor.interrupt()

    def tables(self) -> set[str]:
        rows = self.run("SELECT table_name FROM information_schema.tables").rows
        return {r[0] for r in rows}

    def info(self) -> dict[str, str]:
        """The warehouse's own description (seed, span...), read once: the file is read-only."""
        if self._info is None:
            rows = []
            if "warehouse_info" in self.tables():
                rows = self.run("SELECT key, value FROM warehouse_info").rows
            self._info = {k: v for k, v in rows}
        return self._info

    def data_range(self) -> tuple[date, date] | None:
        """The first and last day with impressions, for 'no data in that range' messages."""
        info = self.info()
        if "start_date" in info and "end_date" in info:
            return date.fromisoformat(info["start_date"]), date.fromisoformat(info["end_date"])
        return None

    def close(self) -> None:
        self._connection.close()


def _one_select(cursor: duckdb.DuckDBPyConnection, sql: str) -> duckdb.Statement:
    """The single SELECT in `sql`, read by DuckDB's own parser; anything else is refused.

    Read-only mode stops writes to the file, but not CREATE TEMP TABLE or a second statement
    riding along after a first one: only one query, and only a query, runs here.
    """
    try:
        statements = cursor.extract_statements(sql)
    except duckdb.Error as error:
        detail = _first_line(error)
        raise WarehouseError(f"The warehouse could not read the query: {detail}") from None
    if len(statements) != 1:
        raise GuardError(f"Only one SQL statement may run at a time; got {len(statements)}.")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        log.warning("refused a %s statement", kind.name)
        raise GuardError(
            f"Only SELECT queries may run on the warehouse; this is a {kind.name} statement."
        )
    return statements[0]


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
