"""Bad semantic queries fail while compiling, before any SQL exists, and say how to fix them."""

from __future__ import annotations

import time
from typing import Any

import pytest
import sqlglot
from pydantic import ValidationError

from semantic_layer.compiler import compile_query
from semantic_layer.errors import FilterError, QueryError
from semantic_layer.filters import MAX_WHERE_CHARS
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery


def compile_dict(fields: dict[str, Any]) -> str:
    return compile_query(load_model(), SemanticQuery.model_validate(fields)).sql()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"metrics": ["ctrr"]}, "Unknown metric 'ctrr'. Did you mean 'ctr'?"),
        ({"metrics": ["conversion_rat"]}, "Did you mean 'conversion_rate'?"),
        ({"metrics": ["revenue_per_impresion"]}, "Did you mean 'revenue_per_impression'?"),
        (
            {"metrics": ["ctr"], "dimensions": ["algoritm"]},
            "Unknown dimension 'algoritm'. Did you mean 'algorithm'?",
        ),
        (
            {"metrics": ["ctr"], "filters": [{"dimension": "categroy", "values": ["Shoes"]}]},
            "Unknown dimension 'categroy'. Did you mean 'category'?",
        ),
        (
            {"metrics": ["ctr"], "dimensions": ["algorithm"], "order_by": ["-ctrr"]},
            "Unknown order field 'ctrr'",
        ),
        (
            {"metrics": ["ctr"], "having": [{"metric": "clikcs", "operator": ">", "value": 1}]},
            "Unknown metric 'clikcs'. Did you mean 'clicks'?",
        ),
    ],
)
def test_an_unknown_name_fails_with_a_did_you_mean(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(QueryError) as raised:
        compile_dict(fields)

    assert message in str(raised.value)


def test_an_unknown_order_field_suggests_the_closest_output_column() -> None:
    with pytest.raises(QueryError, match="Did you mean 'ctr'\\?"):
        compile_dict({"metrics": ["ctr"], "dimensions": ["algorithm"], "order_by": ["-ctrr"]})


def test_ordering_by_a_column_the_query_does_not_output_lists_the_valid_fields() -> None:
    with pytest.raises(QueryError) as raised:
        compile_dict({"metrics": ["ctr"], "order_by": ["placement"]})

    assert "Unknown order field 'placement'" in str(raised.value)
    assert "Valid order fields: ctr." in str(raised.value)


@pytest.mark.parametrize(
    ("dimension", "suggestion"), [("date:weak", "week"), ("date:mnth", "month")]
)
def test_an_unknown_time_grain_fails_with_a_did_you_mean(dimension: str, suggestion: str) -> None:
    with pytest.raises(ValidationError, match=f"Did you mean '{suggestion}'\\?"):
        SemanticQuery.model_validate({"metrics": ["ctr"], "dimensions": [dimension]})


def test_a_grain_on_a_categorical_dimension_points_to_the_time_dimension() -> None:
    with pytest.raises(QueryError) as raised:
        compile_dict({"metrics": ["ctr"], "dimensions": ["algorithm:week"]})

    assert "'algorithm' is not a time dimension" in str(raised.value)
    assert "Use 'date:week'" in str(raised.value)


def test_a_dimension_listed_twice_is_refused() -> None:
    with pytest.raises(QueryError, match="listed twice"):
        compile_dict({"metrics": ["ctr"], "dimensions": ["algorithm", "algorithm"]})


@pytest.mark.parametrize(
    ("where", "suggestion"),
    [("categroy = 'Shoes'", "category"), ("devise IN ('Mobile')", "device")],
)
def test_a_where_on_an_unknown_dimension_suggests_the_closest(where: str, suggestion: str) -> None:
    with pytest.raises(FilterError, match=f"Did you mean '{suggestion}'\\?"):
        compile_dict({"metrics": ["ctr"], "where": where})


def test_an_unquoted_value_in_a_where_is_explained_as_a_missing_quote() -> None:
    with pytest.raises(FilterError) as raised:
        compile_dict({"metrics": ["ctr"], "where": 'category = "Shoes"'})

    assert "Unknown dimension 'Shoes'" in str(raised.value)
    assert "put it in single quotes: 'Shoes'" in str(raised.value)


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("category IN (SELECT category FROM products)", "a subquery"),
        ("category = 'Shoes' OR 1 = (SELECT 1)", "a subquery"),
        ("EXISTS (SELECT 1 FROM customers)", "filters may not use"),
        ("lower(category) = 'shoes'", "the function LOWER"),
        ("read_csv('/etc/passwd') IS NOT NULL", "filters may not use"),
        ("CAST(slot AS INT) > 1", "filters may not use"),
        ("category = 'Shoes'; SELECT 1", "not several statements"),
        ("category = 'Shoes'; DROP TABLE impressions", "not several statements"),
        ("category = 'Shoes' UNION SELECT 1", "filters may not use"),
        ("products.category = 'Shoes'", "use a dimension name without a table"),
        ("category", "is not a condition"),
        ("category = ", "Could not read the filter"),
    ],
)
def test_a_hostile_or_malformed_where_is_refused(where: str, reason: str) -> None:
    with pytest.raises(FilterError, match=reason):
        compile_dict({"metrics": ["ctr"], "where": where})


def test_a_where_longer_than_the_limit_is_refused_before_parsing() -> None:
    long_where = "category = 'Shoes' OR " * 1000 + "category = 'Dresses'"
    assert len(long_where) > MAX_WHERE_CHARS

    with pytest.raises(FilterError, match="characters long; the limit is"):
        compile_dict({"metrics": ["ctr"], "where": long_where})


def test_a_ten_megabyte_where_is_refused_on_its_length_at_once() -> None:
    started = time.perf_counter()

    with pytest.raises(FilterError, match="is 10,000,000 characters long"):
        compile_dict({"metrics": ["ctr"], "where": "x" * 10_000_000})

    assert time.perf_counter() - started < 0.5


def test_quotes_inside_a_where_value_stay_inside_one_literal() -> None:
    sql = compile_dict({"metrics": ["clicks"], "where": "category = 'It''s'; "})

    assert "'It''s'" in sql
    assert len(sqlglot.parse(sql, read="duckdb")) == 1


def test_comments_in_a_where_never_reach_the_sql() -> None:
    where = "category = 'Shoes' -- x */ ; DROP TABLE impressions; SELECT /* "

    sql = compile_dict({"metrics": ["clicks"], "where": where})

    assert "DROP" not in sql
    assert "/*" not in sql
    assert len(sqlglot.parse(sql, read="duckdb")) == 1
