"""A lead that comes only from who a group is shown to is called Simpson's paradox, plainly.

The warehouse here is built by hand so the paradox is certain: algorithm A is shown mostly to
repeat, high-value shoppers (who click more), B mostly to new ones; inside each segment B's CTR is
higher, overall A's is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from recsight.answering.ask import answer_query
from recsight.engine import Engine
from recsight.warehouse.executor import Warehouse
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery

# (algorithm, customer_type, impressions, clicks)
CELLS = [
    ("A", "Repeat", 9_000, 900),
    ("B", "Repeat", 1_000, 140),
    ("A", "New", 2_000, 20),
    ("B", "New", 9_000, 270),
]
SCHEMA = """
CREATE TABLE customers AS
    SELECT * FROM (VALUES (1, 'Repeat', 'High-Value'), (2, 'New', 'Low-Value'))
        AS t(customer_id, customer_type, clv_tier),
    (SELECT 'Direct' AS acquisition_channel, 'West' AS region,
            DATE '2025-01-01' AS signup_date, 'treatment' AS experiment_group);
CREATE TABLE products AS SELECT 1 AS product_id, 'Coat' AS product_name,
    'Outerwear' AS category, 'Nordwind' AS brand, 90.0 AS price, TRUE AS is_active,
    FALSE AS is_top_seller, DATE '2025-01-01' AS launched_date;
CREATE TABLE impressions (impression_id BIGINT, impression_ts TIMESTAMP, customer_id BIGINT,
    product_id BIGINT, algorithm VARCHAR, model_version VARCHAR, placement VARCHAR,
    rec_type VARCHAR, device VARCHAR, slot INTEGER);
CREATE TABLE clicks (click_id BIGINT, impression_id BIGINT, click_ts TIMESTAMP);
CREATE TABLE orders (order_id BIGINT, customer_id BIGINT, order_ts TIMESTAMP,
    impression_id BIGINT, order_total DOUBLE, item_count INTEGER);
CREATE TABLE order_items (order_id BIGINT, line_number INTEGER, product_id BIGINT,
    quantity INTEGER, unit_price DOUBLE, amount DOUBLE);
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, recsight_home: Path) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("simpson") / "simpson.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(SCHEMA)
        start = 0
        for algorithm, customer_type, shown, clicked in CELLS:
            customer = 1 if customer_type == "Repeat" else 2
            connection.execute(
                f"""INSERT INTO impressions SELECT {start} + i, TIMESTAMP '2026-11-10 12:00:00',
                        {customer}, 1, '{algorithm}', 'v1', 'Cart', 'Upsell', 'Mobile', 1
                    FROM range({shown}) AS r(i)"""
            )
            connection.execute(
                f"""INSERT INTO clicks SELECT {start} + i, {start} + i,
                        TIMESTAMP '2026-11-10 12:00:05'
                    FROM range({clicked}) AS r(i)"""
            )
            start += shown
    engine = Engine(load_model(), Warehouse(path))
    yield engine
    engine.close()


def test_a_lead_that_reverses_inside_every_segment_is_called_simpsons_paradox(
    engine: Engine,
) -> None:
    answer = answer_query(
        engine,
        SemanticQuery(metrics=["ctr"], dimensions=["algorithm"]),  # type: ignore[list-item]
    )

    assert answer.facts["leader"] == "A"
    assert answer.facts["significance"] == "significant"
    assert answer.facts["mix.holds"] is False
    assert answer.facts["mix.simpsons_paradox"] is True
    assert "A's impressions are 82% Repeat vs 10% for B." in answer.explanation
    assert answer.explanation[-1] == (
        "Simpson's paradox: A leads on CTR overall but trails inside every customer type and "
        "CLV tier segment (among New, B is ahead at 3.00% vs 1.00% for A; among Repeat, B is "
        "ahead at 14.00% vs 10.00% for A; among High-Value, B is ahead at 14.00% vs 10.00% for "
        "A; among Low-Value, B is ahead at 3.00% vs 1.00% for A), so its overall lead comes from "
        "who it is shown to, not from doing better."
    )
