"""Every metric, compiled and run, equals hand-written SQL on the scale-1 demo warehouse.

The hand-written side shares nothing with the compiler: each fact is flattened with plain LEFT
JOINs into one row per event carrying every dimension, each measure is one aggregate over it, and
the measures of a metric are combined here in Python, key by key. Both sides run through the
same sandboxed executor, the only difference being who wrote the SQL. So a join fan-out, a dropped
NULL group or a wrong join path in the compiler shows up as a different number.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from recsight.warehouse.executor import Warehouse
from semantic_layer.compiler import compile_query
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery

Key = tuple[Any, ...]
Values = dict[Key, Any]

CUSTOMER = """c.customer_type, c.clv_tier, c.acquisition_channel, c.region, c.experiment_group"""
PRODUCT = """p.category, p.product_name AS product, p.brand, p.is_top_seller AS bestseller,
    p.is_active"""
IMPRESSION = """i.algorithm, i.model_version, i.placement, i.rec_type, i.device, i.slot"""

# One row per event with every dimension the model lets that event be broken down by.
EVENTS = {
    "impressions": f"""
        SELECT i.impression_ts AS event_ts, i.customer_id, i.product_id,
            {IMPRESSION}, {CUSTOMER}, {PRODUCT}
        FROM impressions i
        LEFT JOIN customers c ON c.customer_id = i.customer_id
        LEFT JOIN products p ON p.product_id = i.product_id""",
    "clicks": f"""
        SELECT k.click_ts AS event_ts, {IMPRESSION}, {CUSTOMER}, {PRODUCT}
        FROM clicks k
        LEFT JOIN impressions i ON i.impression_id = k.impression_id
        LEFT JOIN customers c ON c.customer_id = i.customer_id
        LEFT JOIN products p ON p.product_id = i.product_id""",
    # An order's shopper is the order's own customer; its product is the recommended one.
    "orders": f"""
        SELECT o.order_ts AS event_ts, o.customer_id, o.impression_id, o.order_total,
            {IMPRESSION}, {CUSTOMER}, {PRODUCT}
        FROM orders o
        LEFT JOIN customers c ON c.customer_id = o.customer_id
        LEFT JOIN impressions i ON i.impression_id = o.impression_id
        LEFT JOIN products p ON p.product_id = i.product_id""",
    # An order line's product is the product bought.
    "order_items": f"""
        SELECT o.order_ts AS event_ts, li.quantity, {IMPRESSION}, {CUSTOMER}, {PRODUCT}
        FROM order_items li
        LEFT JOIN orders o ON o.order_id = li.order_id
        LEFT JOIN customers c ON c.customer_id = o.customer_id
        LEFT JOIN impressions i ON i.impression_id = o.impression_id
        LEFT JOIN products p ON p.product_id = li.product_id""",
}

MEASURES = {
    "impressions": ("impressions", "count(*)"),
    "novel_impressions": ("impressions", "count(*) FILTER (WHERE NOT bestseller)"),
    "recommended_products": ("impressions", "count(DISTINCT product_id)"),
    "recommended_active_products": (
        "impressions",
        "count(DISTINCT product_id) FILTER (WHERE is_active)",
    ),
    "reached_customers": ("impressions", "count(DISTINCT customer_id)"),
    "clicks": ("clicks", "count(*)"),
    "conversions": ("orders", "count(*) FILTER (WHERE impression_id IS NOT NULL)"),
    "revenue": ("orders", "sum(order_total) FILTER (WHERE impression_id IS NOT NULL)"),
    "orders": ("orders", "count(*)"),
    "store_revenue": ("orders", "sum(order_total)"),
    "buyers": ("orders", "count(DISTINCT customer_id)"),
    "units_sold": ("order_items", "sum(quantity)"),
}

# Each metric from the definitions, as (numerator, denominator) measures or one measure.
METRICS: dict[str, tuple[str, ...]] = {
    "impressions": ("impressions",),
    "clicks": ("clicks",),
    "ctr": ("clicks", "impressions"),
    "conversions": ("conversions",),
    "conversion_rate": ("conversions", "clicks"),
    "revenue": ("revenue",),
    "aov": ("revenue", "conversions"),
    "revenue_per_impression": ("revenue", "impressions"),
    "catalog_coverage": ("recommended_active_products", "active_products"),
    "novelty": ("novel_impressions", "impressions"),
    "recommended_products": ("recommended_products",),
    "reached_customers": ("reached_customers",),
    "orders": ("orders",),
    "store_revenue": ("store_revenue",),
    "buyers": ("buyers",),
    "orders_per_buyer": ("orders", "buyers"),
    "recommendation_revenue_share": ("revenue", "store_revenue"),
    "units_sold": ("units_sold",),
    "clicks_per_customer": ("clicks", "reached_customers"),
}

DATE_EXPRESSIONS = {
    "date": "CAST(event_ts AS DATE)",
    "date:week": "CAST(date_trunc('week', event_ts) AS DATE)",
    "date:month": "CAST(date_trunc('month', event_ts) AS DATE)",
}
PRODUCT_DIMENSIONS = {"category", "product", "brand", "bestseller"}


@dataclass(frozen=True)
class Breakdown:
    name: str
    dimensions: list[str]
    where: str | None = None
    span: tuple[str, str] | None = None
    filters_products: bool = False
    """Whether `where` names only product dimensions, so it narrows the active catalog too."""


BREAKDOWNS = [
    Breakdown("overall", []),
    Breakdown(
        "by-algorithm",
        ["algorithm"],
        "category IN ('Outerwear', 'Shoes')",
        ("2026-11-01", "2026-11-30"),
        filters_products=True,
    ),
    Breakdown(
        "by-segment-week",
        ["customer_type", "date:week"],
        "clv_tier = 'High-Value'",
        ("2026-10-01", "2026-11-15"),
    ),
    Breakdown("by-placement-region", ["placement", "region"], "device != 'Tablet'"),
    Breakdown(
        "by-category-device",
        ["category", "device"],
        "NOT algorithm = 'Content-Based'",
        ("2026-09-15", "2026-10-31"),
    ),
]


def hand_measure(warehouse: Warehouse, measure: str, view: Breakdown) -> Values:
    """One measure by the dimensions, from the flattened events, keyed by the dimension values."""
    if measure == "active_products":
        return hand_active_products(warehouse, view)
    fact, aggregate = MEASURES[measure]
    keys = [DATE_EXPRESSIONS.get(d, d) for d in view.dimensions]
    conditions = [view.where or "TRUE"]
    if view.span:
        start, end = view.span
        conditions.append(f"CAST(event_ts AS DATE) BETWEEN DATE '{start}' AND DATE '{end}'")
    sql = (
        f"SELECT {', '.join([*keys, aggregate])} FROM ({EVENTS[fact]}) AS e "
        f"WHERE {' AND '.join(conditions)}" + (f" GROUP BY {', '.join(keys)}" if keys else "")
    )
    return {tuple(row[:-1]): row[-1] for row in warehouse.run(sql).rows}


def hand_active_products(warehouse: Warehouse, view: Breakdown) -> Values:
    # The active catalog has no time and no shopper: only product dimensions split or filter it.
    keys = [d for d in view.dimensions if d in PRODUCT_DIMENSIONS]
    condition = view.where if view.filters_products else "TRUE"
    sql = (
        f"SELECT {', '.join([*keys, 'count(*)'])} FROM (SELECT {PRODUCT} FROM products p) AS e "
        f"WHERE is_active AND {condition}" + (f" GROUP BY {', '.join(keys)}" if keys else "")
    )
    return {tuple(row[:-1]): row[-1] for row in warehouse.run(sql).rows}


def hand_metric(warehouse: Warehouse, metric: str, view: Breakdown) -> dict[Key, float | None]:
    parts = [hand_measure(warehouse, m, view) for m in METRICS[metric]]
    keys = set(parts[0])
    if len(parts) == 2 and METRICS[metric][1] != "active_products":
        keys |= set(parts[1])
    product_positions = [i for i, d in enumerate(view.dimensions) if d in PRODUCT_DIMENSIONS]

    def value(key: Key) -> float | None:
        top = parts[0].get(key) or 0
        if len(parts) == 1:
            return float(top)
        bottom_key = key
        if METRICS[metric][1] == "active_products":
            bottom_key = tuple(key[i] for i in product_positions)
        bottom = parts[1].get(bottom_key) or 0
        return float(top) / float(bottom) if bottom else None

    return {key: value(key) for key in keys}


def compiled_metric(warehouse: Warehouse, metric: str, view: Breakdown) -> dict[Key, float | None]:
    fields: dict[str, Any] = {"metrics": [metric], "dimensions": view.dimensions}
    fields["where"] = view.where
    if view.span:
        fields["time_range"] = {"start": view.span[0], "end": view.span[1]}
    sql = compile_query(load_model(), SemanticQuery.model_validate(fields)).sql()
    result = warehouse.run(sql)
    assert not result.truncated
    return {tuple(row[:-1]): None if row[-1] is None else float(row[-1]) for row in result.rows}


def same(left: float | None, right: float | None) -> bool:
    if left is None or right is None:
        return left is right
    return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)


@pytest.fixture(scope="module")
def warehouse(demo_warehouse: Path) -> Iterator[Warehouse]:
    opened = Warehouse(demo_warehouse)
    yield opened
    opened.close()


def test_every_metric_of_the_model_has_a_hand_written_check() -> None:
    assert set(load_model().metrics) == set(METRICS)


@pytest.mark.parametrize("metric", sorted(METRICS))
@pytest.mark.parametrize("view", BREAKDOWNS, ids=[b.name for b in BREAKDOWNS])
def test_a_compiled_metric_equals_hand_written_sql(
    warehouse: Warehouse, metric: str, view: Breakdown
) -> None:
    expected = hand_metric(warehouse, metric, view)
    actual = compiled_metric(warehouse, metric, view)

    assert set(actual) == set(expected), "the compiled query has different groups"
    wrong = {k: (actual[k], expected[k]) for k in expected if not same(actual[k], expected[k])}
    assert wrong == {}, "compiled vs hand-written values differ"
    assert any(v for v in expected.values()), "the check compared nothing but zeros"
