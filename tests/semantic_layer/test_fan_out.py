"""Metrics from different facts, broken down together, never multiply or lose each other's rows.

Each case sums a breakdown's measures back up and compares the total with a count over the single
table it comes from. NULL dimension values (the tracking-bug day's impressions have no customer)
must stay one group, neither split in two nor dropped, when several facts are joined.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recsight.warehouse.executor import Result, Warehouse
from semantic_layer.compiler import compile_query
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery

ATTRIBUTED = "FROM orders WHERE impression_id IS NOT NULL"


@pytest.fixture(scope="module")
def warehouse(demo_warehouse: Path) -> Iterator[Warehouse]:
    opened = Warehouse(demo_warehouse)
    yield opened
    opened.close()


def run(warehouse: Warehouse, **fields: Any) -> Result:
    compiled = compile_query(load_model(), SemanticQuery.model_validate(fields))
    return warehouse.run(compiled.sql())


def column(result: Result, name: str) -> list[Any]:
    index = result.columns.index(name)
    return [row[index] for row in result.rows]


def single(warehouse: Warehouse, sql: str) -> Any:
    return warehouse.run(sql).rows[0][0]


# Each measure's total, counted on the one table it comes from.
TOTALS = {
    "impressions": "SELECT count(*) FROM impressions",
    "clicks": "SELECT count(*) FROM clicks",
    "conversions": f"SELECT count(*) {ATTRIBUTED}",
    "revenue": f"SELECT sum(order_total) {ATTRIBUTED}",
    "units_sold": "SELECT sum(quantity) FROM order_items",
    "orders": "SELECT count(*) FROM orders",
    "store_revenue": "SELECT sum(order_total) FROM orders",
}


@pytest.mark.parametrize(
    ("metrics", "dimension"),
    [
        (["ctr", "clicks", "impressions"], "customer_type"),
        (["aov", "revenue", "conversions"], "category"),
        (["revenue_per_impression", "revenue", "impressions"], "placement"),
        (["clicks", "conversions"], "date"),
        (["impressions", "clicks", "conversions", "units_sold"], "clv_tier"),
        (["orders", "store_revenue", "revenue"], "category"),
    ],
    ids=[
        "ctr-by-customer-type",
        "aov-by-category",
        "rpi-by-placement",
        "by-date",
        "four-facts",
        "all-orders-by-category",
    ],
)
def test_a_multi_fact_breakdown_adds_up_to_single_table_totals(
    warehouse: Warehouse, metrics: list[str], dimension: str
) -> None:
    result = run(warehouse, metrics=metrics, dimensions=[dimension])

    for measure in (m for m in metrics if m in TOTALS):
        assert sum(column(result, measure)) == single(warehouse, TOTALS[measure]), measure
    keys = column(result, dimension)
    assert len(keys) == len(set(keys)), "a group appears twice"


def test_ratios_of_a_multi_fact_breakdown_are_ratios_of_its_own_totals(
    warehouse: Warehouse,
) -> None:
    result = run(warehouse, metrics=["ctr", "clicks", "impressions"], dimensions=["customer_type"])

    for row in result.rows:
        values = dict(zip(result.columns, row, strict=True))
        assert values["ctr"] == pytest.approx(values["clicks"] / values["impressions"], rel=1e-12)


def test_coverage_by_algorithm_and_category_counts_each_product_once(warehouse: Warehouse) -> None:
    result = run(
        warehouse,
        metrics=["catalog_coverage", "recommended_products"],
        dimensions=["algorithm", "category"],
    )

    pairs = single(warehouse, "SELECT count(DISTINCT (algorithm, product_id)) FROM impressions")
    assert sum(column(result, "recommended_products")) == pairs
    assert len(result.rows) == len({(r[0], r[1]) for r in result.rows})
    assert all(0 < value <= 1 for value in column(result, "catalog_coverage"))


def test_the_active_catalog_is_not_multiplied_by_the_dimensions_it_cannot_reach(
    warehouse: Warehouse,
) -> None:
    by_algorithm = run(
        warehouse, metrics=["catalog_coverage", "recommended_products"], dimensions=["algorithm"]
    )
    active = single(warehouse, "SELECT count(*) FROM products WHERE is_active")

    for row in by_algorithm.rows:
        values = dict(zip(by_algorithm.columns, row, strict=True))
        assert values["catalog_coverage"] * active == pytest.approx(values["recommended_products"])


def test_the_tracking_bug_days_impressions_form_one_null_customer_group(
    warehouse: Warehouse,
) -> None:
    result = run(
        warehouse,
        metrics=["impressions", "clicks", "ctr"],
        dimensions=["customer_type"],
    )

    groups = column(result, "customer_type")
    assert groups.count(None) == 1, "NULL customers were split or dropped"
    no_customer = single(warehouse, "SELECT count(*) FROM impressions WHERE customer_id IS NULL")
    assert no_customer > 0, "the demo should have a tracking-bug day"
    null_row = dict(zip(result.columns, result.rows[groups.index(None)], strict=True))
    assert null_row["impressions"] == no_customer
    assert null_row["clicks"] == single(
        warehouse,
        "SELECT count(*) FROM clicks k JOIN impressions i USING (impression_id) "
        "WHERE i.customer_id IS NULL",
    )


def test_null_groups_stay_whole_when_broken_down_by_day_too(warehouse: Warehouse) -> None:
    result = run(
        warehouse,
        metrics=["impressions", "clicks", "conversions"],
        dimensions=["date", "customer_type"],
    )

    keys = [(row[0], row[1]) for row in result.rows]
    assert len(keys) == len(set(keys)), "a (date, NULL) group appears twice"
    for measure in ("impressions", "clicks", "conversions"):
        assert sum(column(result, measure)) == single(warehouse, TOTALS[measure]), measure


def test_every_join_the_model_declares_required_holds_on_the_demo(warehouse: Warehouse) -> None:
    # A required join is compiled as an inner join: a NULL or dangling key would drop rows.
    model = load_model()
    for table in model.tables.values():
        for join in (j for j in table.joins if j.required):
            target = model.tables[join.to]
            missing = single(
                warehouse,
                f"SELECT count(*) FROM {table.sql_table} f LEFT JOIN {target.sql_table} t "
                f"ON f.{join.foreign_key} = t.{target.primary_key} "
                f"WHERE t.{target.primary_key} IS NULL",
            )
            assert missing == 0, f"{table.name}.{join.foreign_key} -> {join.to}"
