"""Weeks start on Monday and days of the week run Monday = 1 to Sunday = 7, in every dialect.

Pinned because the compiler once emitted EXTRACT(ISODOW ...) and a bare WEEK truncation: valid in
DuckDB, but Sunday-based weeks in BigQuery and invalid SQL in Snowflake and BigQuery. Never weaken.
"""

from __future__ import annotations

import duckdb
import pytest

from semantic_layer.compiler import compile_query
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery

SUNDAY_NIGHT = "2026-11-29 23:30:00"
MONDAY_MORNING = "2026-11-30 00:10:00"


def grains_sql(dialect: str) -> str:
    query = SemanticQuery(
        metrics=["clicks"], dimensions=["date:week", "date:day_of_week", "date:hour_of_day"]
    )
    return compile_query(load_model(), query).sql(dialect)


def test_duckdb_weeks_start_on_monday_and_sunday_is_day_seven() -> None:
    connection = duckdb.connect()
    connection.execute("CREATE TABLE clicks (click_id INT, impression_id INT, click_ts TIMESTAMP)")
    connection.execute(
        f"INSERT INTO clicks VALUES (1, 1, TIMESTAMP '{SUNDAY_NIGHT}'), "
        f"(2, 2, TIMESTAMP '{MONDAY_MORNING}')"
    )

    rows = connection.execute(grains_sql("duckdb")).fetchall()

    assert [(str(week), dow, hour) for week, dow, hour, _ in rows] == [
        ("2026-11-23", 7, 23),
        ("2026-11-30", 1, 0),
    ]


def test_bigquery_weeks_start_on_monday_and_days_are_iso_numbered() -> None:
    sql = grains_sql("bigquery")

    assert "WEEK(MONDAY)" in sql, "BigQuery's bare WEEK starts on Sunday"
    assert "ISODOW" not in sql, "BigQuery has no ISODOW date part"
    # BigQuery's DAYOFWEEK is 1 on Sunday: shifted so that Monday is 1 and Sunday 7.
    assert "MOD(EXTRACT(DAYOFWEEK FROM clicks.click_ts) + 5, 7) + 1" in sql


@pytest.mark.parametrize(
    ("dialect", "spelling"),
    [
        ("snowflake", "DAYOFWEEKISO(clicks.click_ts)"),
        ("postgres", "EXTRACT(ISODOW FROM clicks.click_ts)"),
        ("duckdb", "ISODOW(clicks.click_ts)"),
    ],
)
def test_day_of_week_uses_each_dialects_own_iso_function(dialect: str, spelling: str) -> None:
    assert spelling in grains_sql(dialect)
