"""Catalog coverage is the share of the *active* catalog recommended at least once.

Pinned because coverage once counted every recommended product in its numerator, so a retired
product still being recommended pushed coverage of the active catalog up, even past 100%.
Never weaken.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from recsight.warehouse.executor import Warehouse
from semantic_layer.compiler import compile_query
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery

# Three active Shoes, one retired Shoe and one active Dress; the retired shoe is still recommended.
CATALOG = """
CREATE TABLE products AS SELECT * FROM (VALUES
    (1, 'Loafer', 'Shoes', 'A', 90.0, TRUE, FALSE, DATE '2026-01-01'),
    (2, 'Boot', 'Shoes', 'A', 120.0, TRUE, FALSE, DATE '2026-01-01'),
    (3, 'Sneaker', 'Shoes', 'B', 70.0, TRUE, TRUE, DATE '2026-01-01'),
    (4, 'Old Clog', 'Shoes', 'B', 40.0, FALSE, FALSE, DATE '2020-01-01'),
    (5, 'Wrap Dress', 'Dresses', 'C', 80.0, TRUE, FALSE, DATE '2026-01-01')
) AS t(product_id, product_name, category, brand, price, is_active, is_top_seller, launched_date);
CREATE TABLE impressions AS
SELECT impression_id,
    TIMESTAMP '2026-11-02 10:00:00' + INTERVAL (impression_id) HOUR AS impression_ts,
    10 AS customer_id, product_id, 'Neural Network' AS algorithm, 'nn-v1' AS model_version,
    'Cart' AS placement, 'upsell' AS rec_type, 'Mobile' AS device, 1 AS slot
FROM (VALUES (1, 1), (2, 4), (3, 4), (4, 5)) AS t(impression_id, product_id);
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    path: Path = tmp_path_factory.mktemp("coverage") / "catalog.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(CATALOG)
    return Warehouse(path)


def coverage(warehouse: Warehouse, **fields: object) -> list[tuple[object, ...]]:
    query = SemanticQuery.model_validate({"metrics": ["catalog_coverage"], **fields})
    return warehouse.run(compile_query(load_model(), query).sql()).rows


def test_a_retired_product_still_recommended_does_not_count_as_coverage(
    warehouse: Warehouse,
) -> None:
    # Active: 1, 2, 3, 5. Recommended and active: 1 and 5. The retired 4 is not coverage.
    assert coverage(warehouse) == [(pytest.approx(2 / 4),)]


def test_coverage_by_category_stays_within_the_active_catalog(warehouse: Warehouse) -> None:
    rows = coverage(warehouse, dimensions=["category"])

    assert rows == [("Dresses", pytest.approx(1.0)), ("Shoes", pytest.approx(1 / 3))]
