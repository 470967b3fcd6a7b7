"""Semantic query -> SQL, pinned as golden files under golden/ (refresh with --update-golden).

A golden diff is the review: when the compiler changes, the files show exactly how each query's SQL
changed. Every DuckDB golden is also executed on an empty warehouse of the model's schema, so a file
can't pin SQL that does not run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot

from semantic_layer import dialects
from semantic_layer.compiler import compile_query
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery

GOLDEN = Path(__file__).parent / "golden"
NOV = {"start": "2026-11-01", "end": "2026-11-30"}

CASES: dict[str, dict[str, Any]] = {
    "impressions_overall": {"metrics": ["impressions"]},
    "clicks_by_algorithm": {"metrics": ["clicks"], "dimensions": ["algorithm"]},
    "article_layer_1": {
        "metrics": ["impressions", "clicks", "ctr", "conversions", "conversion_rate", "revenue"],
        "dimensions": ["algorithm"],
    },
    "ctr_by_customer_type": {"metrics": ["ctr"], "dimensions": ["customer_type"]},
    "ctr_by_algorithm_and_clv_tier": {"metrics": ["ctr"], "dimensions": ["algorithm", "clv_tier"]},
    "aov_by_category": {"metrics": ["aov"], "dimensions": ["category"]},
    "revenue_per_impression_by_placement": {
        "metrics": ["revenue_per_impression"],
        "dimensions": ["placement"],
    },
    "clicks_and_conversions_by_date": {
        "metrics": ["clicks", "conversions"],
        "dimensions": ["date"],
        "time_range": NOV,
    },
    "catalog_coverage_overall": {"metrics": ["catalog_coverage"]},
    "catalog_coverage_by_algorithm": {"metrics": ["catalog_coverage"], "dimensions": ["algorithm"]},
    "catalog_coverage_by_algorithm_and_category": {
        "metrics": ["catalog_coverage"],
        "dimensions": ["algorithm", "category"],
    },
    "novelty_by_algorithm": {"metrics": ["novelty"], "dimensions": ["algorithm"]},
    "impressions_by_week_in_november": {
        "metrics": ["impressions"],
        "dimensions": ["date:week"],
        "time_range": NOV,
    },
    "ctr_by_month_quarter_year": {
        "metrics": ["ctr"],
        "dimensions": ["date:month", "date:quarter", "date:year"],
    },
    "clicks_by_day_of_week": {"metrics": ["clicks"], "dimensions": ["date:day_of_week"]},
    "impressions_by_hour_of_day": {"metrics": ["impressions"], "dimensions": ["date:hour_of_day"]},
    "filter_equal_and_not_equal": {
        "metrics": ["ctr"],
        "dimensions": ["algorithm"],
        "filters": [
            {"dimension": "category", "operator": "=", "values": ["Shoes"]},
            {"dimension": "device", "operator": "!=", "values": ["Tablet"]},
        ],
    },
    "filter_in_and_not_in": {
        "metrics": ["clicks"],
        "filters": [
            {"dimension": "placement", "operator": "in", "values": ["Homepage", "Cart"]},
            {"dimension": "region", "operator": "not in", "values": ["West"]},
        ],
    },
    "filter_comparisons": {
        "metrics": ["impressions"],
        "dimensions": ["slot"],
        "filters": [
            {"dimension": "slot", "operator": ">", "values": [1]},
            {"dimension": "slot", "operator": "<=", "values": [4]},
            {"dimension": "date", "operator": ">=", "values": ["2026-10-01"]},
            {"dimension": "date", "operator": "<", "values": ["2026-11-01"]},
        ],
    },
    "filter_between": {
        "metrics": ["revenue"],
        "filters": [
            {"dimension": "date", "operator": "between", "values": ["2026-11-01", "2026-11-07"]}
        ],
    },
    "filter_like_and_not_like": {
        "metrics": ["units_sold"],
        "filters": [
            {"dimension": "product", "operator": "like", "values": ["%Dress%"]},
            {"dimension": "brand", "operator": "not like", "values": ["Maison%"]},
        ],
    },
    "filter_is_null_and_is_not_null": {
        "metrics": ["impressions", "clicks"],
        "filters": [
            {"dimension": "customer_type", "operator": "is null"},
            {"dimension": "algorithm", "operator": "is not null"},
        ],
    },
    "filter_on_boolean_dimension": {
        "metrics": ["impressions"],
        "dimensions": ["algorithm"],
        "filters": [{"dimension": "bestseller", "operator": "=", "values": [False]}],
    },
    "where_with_or_and_not": {
        "metrics": ["ctr", "conversions"],
        "dimensions": ["algorithm"],
        "where": "(category = 'Shoes' OR category = 'Dresses') AND NOT device = 'Tablet'",
        "time_range": NOV,
    },
    "having_on_metrics": {
        "metrics": ["ctr"],
        "dimensions": ["algorithm", "placement"],
        "having": [
            {"metric": "clicks", "operator": ">=", "value": 100},
            {"metric": "ctr", "operator": ">", "value": 0.02},
        ],
    },
    "order_and_limit": {
        "metrics": ["ctr", "impressions"],
        "dimensions": ["placement"],
        "order_by": ["-ctr", "placement"],
        "limit": 3,
    },
    "units_sold_by_category": {"metrics": ["units_sold"], "dimensions": ["category"]},
    "derived_clicks_per_customer_by_region": {
        "metrics": ["clicks_per_customer"],
        "dimensions": ["region"],
    },
    "orders_per_buyer_by_experiment_group": {
        "metrics": ["orders_per_buyer", "recommendation_revenue_share"],
        "dimensions": ["experiment_group"],
    },
}

# A few cases in the dialects people run recsight's SQL on outside DuckDB.
DIALECT_CASES = [
    (case, dialect)
    for case in (
        "article_layer_1",
        "catalog_coverage_by_algorithm_and_category",
        "clicks_by_day_of_week",
        "impressions_by_week_in_november",
        "where_with_or_and_not",
    )
    for dialect in ("snowflake", "bigquery", "postgres")
]

# Column types of the demo warehouse, enough to execute goldens on empty tables.
SCHEMA = """
CREATE TABLE customers (customer_id BIGINT, customer_type VARCHAR, clv_tier VARCHAR,
  acquisition_channel VARCHAR, region VARCHAR, signup_date DATE, experiment_group VARCHAR);
CREATE TABLE products (product_id BIGINT, product_name VARCHAR, category VARCHAR, brand VARCHAR,
  price DECIMAL(10, 2), is_active BOOLEAN, is_top_seller BOOLEAN, launched_date DATE);
CREATE TABLE impressions (impression_id BIGINT, impression_ts TIMESTAMP, customer_id BIGINT,
  product_id BIGINT, algorithm VARCHAR, model_version VARCHAR, placement VARCHAR,
  rec_type VARCHAR, device VARCHAR, slot INTEGER);
CREATE TABLE clicks (click_id BIGINT, impression_id BIGINT, click_ts TIMESTAMP);
CREATE TABLE orders (order_id BIGINT, customer_id BIGINT, order_ts TIMESTAMP,
  impression_id BIGINT, order_total DECIMAL(12, 2), item_count INTEGER);
CREATE TABLE order_items (order_id BIGINT, line_number INTEGER, product_id BIGINT,
  quantity INTEGER, unit_price DECIMAL(10, 2), amount DECIMAL(12, 2));
"""


def compiled_sql(case: str, dialect: str) -> str:
    query = SemanticQuery.model_validate(CASES[case])
    return compile_query(load_model(), query).sql(dialect) + "\n"


def golden_path(case: str, dialect: str) -> Path:
    suffix = "" if dialect == "duckdb" else f".{dialect}"
    return GOLDEN / f"{case}{suffix}.sql"


def check_golden(case: str, dialect: str, update: bool) -> None:
    path = golden_path(case, dialect)
    header = f"-- {json.dumps(CASES[case], sort_keys=True)}\n"
    text = header + compiled_sql(case, dialect)
    if update:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path.name}; run pytest --update-golden"
    assert text == path.read_text(encoding="utf-8"), (
        f"{case} ({dialect}) compiles differently from {path.name}; "
        "if the change is intended, run pytest --update-golden and review the diff"
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_compiled_duckdb_sql_matches_its_golden_file(case: str, update_golden: bool) -> None:
    check_golden(case, "duckdb", update_golden)


@pytest.mark.parametrize(("case", "dialect"), DIALECT_CASES)
def test_compiled_sql_in_other_dialects_matches_its_golden_file(
    case: str, dialect: str, update_golden: bool
) -> None:
    check_golden(case, dialect, update_golden)
    sqlglot.parse_one(compiled_sql(case, dialect), read=dialect)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("dialect", ["duckdb", "snowflake", "bigquery", "postgres"])
def test_rendering_sql_leaves_the_compiled_tree_unchanged(case: str, dialect: str) -> None:
    # DuckDB renders without a defensive copy of the tree; this pins that it is safe.
    compiled = compile_query(load_model(), SemanticQuery.model_validate(CASES[case]))
    before = repr(compiled.expression)

    first = dialects.render(compiled.expression, dialect)

    assert repr(compiled.expression) == before
    assert dialects.render(compiled.expression, dialect) == first


@pytest.mark.parametrize("dialect", ["redshift", "mysql"])
def test_filtered_measures_become_case_where_a_dialect_has_no_filter_clause(dialect: str) -> None:
    query = SemanticQuery(metrics=["novelty", "catalog_coverage"], dimensions=["algorithm"])

    sql = compile_query(load_model(), query).sql(dialect)

    assert "FILTER" not in sql
    assert "COUNT(CASE WHEN NOT products.is_top_seller THEN 1 END)" in sql
    assert "COUNT(DISTINCT CASE WHEN products.is_active THEN impressions.product_id END)" in sql


@pytest.fixture(scope="module")
def empty_warehouse() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(SCHEMA)
    return connection


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_golden_query_runs_on_an_empty_warehouse(
    case: str, empty_warehouse: duckdb.DuckDBPyConnection
) -> None:
    query = SemanticQuery.model_validate(CASES[case])
    relation = empty_warehouse.execute(compiled_sql(case, "duckdb"))
    names = [d[0] for d in relation.description or []]
    assert names == query.output_columns()
    rows = relation.fetchall()
    # With no rows at all, grouped queries return nothing and overall ones one row of zeros/NULLs.
    assert len(rows) == (0 if query.dimensions else 1)


def test_no_golden_file_is_left_over_from_a_removed_case() -> None:
    expected = {golden_path(c, "duckdb").name for c in CASES}
    expected |= {golden_path(c, d).name for c, d in DIALECT_CASES}
    actual = {p.name for p in GOLDEN.glob("*.sql")}
    assert actual - expected == set(), "delete golden files no case produces"
