"""Inner joins (declared `required` in the model) never drop a fact's rows.

Pinned with the change that made required joins inner: a required join reached through an
optional one (orders -> impressions -> products) must stay a left join, or every order not led by
a recommendation would vanish from "orders by category". Never weaken.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from recsight.warehouse.executor import Warehouse
from semantic_layer.compiler import compile_query
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery

# One recommended shoe; one attributed order, one organic order; one impression whose customer
# id was lost (the tracking bug), one with a customer.
TABLES = """
CREATE TABLE products AS SELECT 1 AS product_id, 'Loafer' AS product_name,
    'Shoes' AS category, 'A' AS brand, 90.0 AS price, TRUE AS is_active,
    FALSE AS is_top_seller, DATE '2026-01-01' AS launched_date;
CREATE TABLE customers AS SELECT 7 AS customer_id, 'Repeat' AS customer_type,
    'High-Value' AS clv_tier, 'Email' AS acquisition_channel, 'West' AS region,
    DATE '2025-01-01' AS signup_date, 'treatment' AS experiment_group;
CREATE TABLE impressions AS
SELECT impression_id, TIMESTAMP '2026-11-02 10:00:00' AS impression_ts, customer_id,
    1 AS product_id, 'Neural Network' AS algorithm, 'nn-v1' AS model_version,
    'Cart' AS placement, 'upsell' AS rec_type, 'Mobile' AS device, 1 AS slot
FROM (VALUES (100, 7), (101, NULL)) AS t(impression_id, customer_id);
CREATE TABLE orders AS
SELECT order_id, 7 AS customer_id, TIMESTAMP '2026-11-02 12:00:00' AS order_ts, impression_id,
    50.0 AS order_total, 1 AS item_count
FROM (VALUES (1, 100), (2, NULL)) AS t(order_id, impression_id);
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    path: Path = tmp_path_factory.mktemp("joins") / "joins.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(TABLES)
    return Warehouse(path)


def rows(warehouse: Warehouse, metric: str, dimension: str) -> list[tuple[object, ...]]:
    query = SemanticQuery(metrics=[metric], dimensions=[dimension])
    return warehouse.run(compile_query(load_model(), query).sql()).rows


def test_orders_not_led_by_a_recommendation_stay_in_orders_by_category(
    warehouse: Warehouse,
) -> None:
    assert rows(warehouse, "orders", "category") == [("Shoes", 1), (None, 1)]


def test_impressions_without_a_customer_stay_in_impressions_by_customer_type(
    warehouse: Warehouse,
) -> None:
    assert rows(warehouse, "impressions", "customer_type") == [("Repeat", 1), (None, 1)]
