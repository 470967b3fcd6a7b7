"""The executor runs one read-only SELECT at a time: no files, no extensions, no writes, bounded
in time and rows, and still serving after it refused something."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from recsight.warehouse.executor import Warehouse
from semantic_layer.errors import GuardError, UserError, WarehouseError

SLOW_QUERY = (
    "SELECT count(*) FROM range(1000000000) AS a, range(1000000000) AS b WHERE a.range < b.range"
)


@pytest.fixture(scope="module")
def warehouse_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sandbox") / "tiny.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE numbers AS SELECT range AS n FROM range(25)")
    return path


@pytest.fixture()
def warehouse(warehouse_file: Path) -> Iterator[Warehouse]:
    opened = Warehouse(warehouse_file)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "file system operations are disabled"),
        (
            "SELECT * FROM read_parquet('/tmp/anything.parquet')",
            "file system operations are disabled",
        ),
        ("COPY numbers TO '{tmp}/leak.csv'", "Only SELECT queries"),
        ("EXPORT DATABASE '{tmp}/export'", "Only SELECT queries"),
        ("ATTACH '{tmp}/other.duckdb' AS other", "Only SELECT queries"),
        ("INSTALL httpfs", "Only SELECT queries"),
        ("LOAD httpfs", "Only SELECT queries"),
        ("CREATE TABLE copy AS SELECT * FROM numbers", "Only SELECT queries"),
        ("CREATE TEMP TABLE scratch AS SELECT 1", "Only SELECT queries"),
        ("CREATE MACRO twice(x) AS x * 2", "Only SELECT queries"),
        ("INSERT INTO numbers VALUES (99)", "Only SELECT queries"),
        ("DROP TABLE numbers", "Only SELECT queries"),
        ("SET enable_external_access = true", "Only SELECT queries"),
        ("SELECT 1; DROP TABLE numbers", "Only one SQL statement"),
        ("SELECT 1; COPY numbers TO '{tmp}/leak.csv'", "Only one SQL statement"),
        ("SELEC 1", "could not read the query"),
    ],
)
def test_anything_but_one_plain_select_is_refused(
    warehouse: Warehouse, tmp_path: Path, sql: str, reason: str
) -> None:
    with pytest.raises(UserError, match=reason):
        warehouse.run(sql.format(tmp=tmp_path))

    assert list(tmp_path.iterdir()) == [], "a refused statement left a file behind"
    assert warehouse.run("SELECT count(*) FROM numbers").rows == [(25,)]


def test_statements_refused_by_type_raise_guard_errors(warehouse: Warehouse) -> None:
    with pytest.raises(GuardError, match="this is a CREATE statement"):
        warehouse.run("CREATE TEMP TABLE scratch AS SELECT 1")


def test_the_configuration_stays_locked_and_external_access_off(warehouse: Warehouse) -> None:
    rows = warehouse.run("SELECT current_setting('enable_external_access')").rows

    assert rows == [(False,)]


def test_the_statement_timeout_stops_a_slow_query_with_a_clear_message(
    warehouse: Warehouse,
) -> None:
    started = time.perf_counter()

    with pytest.raises(WarehouseError, match=r"ran longer than 0\.5 s and was stopped"):
        warehouse.run(SLOW_QUERY, timeout_s=0.5)

    assert time.perf_counter() - started < 5
    assert warehouse.run("SELECT max(n) FROM numbers").rows == [(24,)]


def test_interrupting_from_another_thread_cancels_the_running_query(warehouse: Warehouse) -> None:
    timer = threading.Timer(0.3, warehouse.interrupt)
    timer.start()
    try:
        with pytest.raises(WarehouseError, match="cancelled"):
            warehouse.run(SLOW_QUERY, timeout_s=30)
    finally:
        timer.cancel()


def test_the_row_cap_truncates_and_flags_it(warehouse: Warehouse) -> None:
    result = warehouse.run("SELECT n FROM numbers ORDER BY n", row_cap=10)

    assert [row[0] for row in result.rows] == list(range(10))
    assert result.truncated


def test_a_result_exactly_at_the_row_cap_is_not_flagged(warehouse: Warehouse) -> None:
    result = warehouse.run("SELECT n FROM numbers", row_cap=25)

    assert len(result.rows) == 25
    assert not result.truncated


def test_results_carry_column_names_and_types(warehouse: Warehouse) -> None:
    result = warehouse.run("SELECT n, n * 1.5 AS half_more, 'x' AS label FROM numbers LIMIT 1")

    assert result.columns == ["n", "half_more", "label"]
    assert result.types == ["BIGINT", "DECIMAL(21,1)", "VARCHAR"]


def test_nothing_the_executor_runs_changes_the_warehouse_file(
    warehouse: Warehouse, warehouse_file: Path
) -> None:
    # Read-only, and only SELECTs: a checkpoint or a delete is refused and the file is untouched.
    before = warehouse_file.stat().st_mtime_ns
    for sql in ("CHECKPOINT", "DELETE FROM numbers"):
        with pytest.raises(UserError):
            warehouse.run(sql)

    assert warehouse_file.stat().st_mtime_ns == before


def test_a_missing_warehouse_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="does not exist") as raised:
        Warehouse(tmp_path / "nowhere.duckdb")

    assert "recsight demo" in str(raised.value)


def test_a_file_that_is_not_a_duckdb_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("not a database\n" * 100, encoding="utf-8")

    with pytest.raises(WarehouseError, match="Could not open warehouse"):
        Warehouse(path)
