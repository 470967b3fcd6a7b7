"""Metrics from different facts, asked together, each keep their own time and their own count.

A click just after midnight on an impression from just before counts on the click's day and in
the click's time range; an impression without a click counts zero clicks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from recsight.warehouse.executor import Warehouse
from semantic_layer.compiler import compile_query
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery

# Two impressions; only the first is clicked, five minutes later, on the next day.
TABLES = """
CREATE TABLE impressions AS
SELECT impression_id, impression_ts, 7 AS customer_id, 1 AS product_id,
    'Neural Network' AS algorithm, 'nn-v1' AS model_version, 'Cart' AS placement,
    'upsell' AS rec_type, 'Mobile' AS device, 1 AS slot
FROM (VALUES (1, TIMESTAMP '2026-10-31 23:58:00'), (2, TIMESTAMP '2026-11-01 09:00:00'))
    AS t(impression_id, impression_ts);
CREATE TABLE clicks AS SELECT 10 AS click_id, 1 AS impression_id,
    TIMESTAMP '2026-11-01 00:03:00' AS click_ts;
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    path: Path = tmp_path_factory.mktemp("folded") / "folded.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(TABLES)
    return Warehouse(path)


def rows(warehouse: Warehouse, **fields: Any) -> list[tuple[Any, ...]]:
    query = SemanticQuery.model_validate({"metrics": ["impressions", "clicks"], **fields})
    return warehouse.run(compile_query(load_model(), query).sql()).rows


def test_an_unclicked_impression_counts_no_click(warehouse: Warehouse) -> None:
    assert rows(warehouse, dimensions=["algorithm"]) == [("Neural Network", 2, 1)]


def test_a_time_range_filters_each_fact_by_its_own_time(warehouse: Warehouse) -> None:
    november = {"start": "2026-11-01", "end": "2026-11-30"}

    assert rows(warehouse, dimensions=["algorithm"], time_range=november) == [
        ("Neural Network", 1, 1)
    ]


def test_by_day_a_click_counts_on_its_own_day(warehouse: Warehouse) -> None:
    by_day = [
        (str(day), shown, clicked) for day, shown, clicked in rows(warehouse, dimensions=["date"])
    ]

    assert by_day == [("2026-10-31", 1, 0), ("2026-11-01", 1, 1)]
