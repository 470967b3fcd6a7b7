"""Tool argument types. Their JSON schema is what a client's model reads, so each says what fits.

Names of metrics and dimensions are plain strings here; `enums.py` adds the model's names as enums
to the published schema. Validation stays lenient on purpose: an unknown name reaches recsight,
which answers with the valid names and the closest match instead of a bare schema error.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_QUESTION_CHARS = 1_000
"""The built-in planner's own limit on a question."""
MAX_SEARCH_CHARS = 100
MAX_NAME_CHARS = 100
MAX_SQL_CHARS = 20_000
"""The SQL guard's limit (recsight.guard.MAX_SQL_CHARS), repeated so start-up skips sqlglot."""
MAX_RESULT_ROWS = 200
MAX_VALUES = 200

Name = Annotated[str, Field(max_length=MAX_NAME_CHARS)]
Search = Annotated[
    str | None,
    Field(
        max_length=MAX_SEARCH_CHARS,
        description="Words to look for in names, descriptions and synonyms (case-insensitive).",
    ),
]
Metrics = Annotated[
    list[Name],
    Field(
        min_length=1,
        max_length=10,
        description="Metric names, e.g. ['ctr', 'revenue']. See list_metrics.",
    ),
]
Dimensions = Annotated[
    tuple[Name, ...],
    Field(
        max_length=4,
        description=(
            "Dimensions to group by, e.g. ['algorithm']. The time dimension takes a grain after "
            "a colon: 'date:week', 'date:month'. Empty for one total row."
        ),
    ),
]
OrderBy = Annotated[
    tuple[Name, ...],
    Field(
        max_length=4,
        description="Result columns to sort by; a leading '-' sorts descending: ['-ctr'].",
    ),
]
Limit = Annotated[
    int | None,
    Field(ge=1, le=MAX_RESULT_ROWS, description="At most this many rows (top N with order_by)."),
]
Dialect = Literal[
    "duckdb", "snowflake", "bigquery", "postgres", "redshift", "databricks", "spark", "trino",
    "mysql", "tsql", "clickhouse",
]  # fmt: skip
Value = str | int | float | bool
FilterOperator = Literal[
    "=", "!=", "in", "not in", "<", "<=", ">", ">=", "between", "like", "not like",
    "is null", "is not null",
]  # fmt: skip


class FilterArg(BaseModel):
    """Keep only rows where a dimension matches; filters are combined with AND."""

    model_config = ConfigDict(extra="forbid", title="Filter")

    dimension: Name = Field(description="The dimension to filter on, e.g. 'category'.")
    operator: FilterOperator = Field(
        default="=", description="'in' and 'not in' take several values, 'between' two."
    )
    values: list[Value] = Field(
        default_factory=list,
        max_length=100,
        description="Exact spellings from get_dimension_values, e.g. ['Outerwear'].",
    )


class TimeRangeArg(BaseModel):
    """Inclusive first and last day."""

    model_config = ConfigDict(extra="forbid", title="TimeRange")

    start: date = Field(description="First day, YYYY-MM-DD.")
    end: date = Field(description="Last day (inclusive), YYYY-MM-DD.")


class HavingArg(BaseModel):
    """Keep only result rows where a metric passes a threshold (applied after grouping)."""

    model_config = ConfigDict(extra="forbid", title="MetricFilter")

    metric: Name = Field(description="A metric of the query, e.g. 'impressions'.")
    operator: Literal["=", "!=", "<", "<=", ">", ">="]
    value: float = Field(description="Rates are fractions: 0.03 means 3%.")


Filters = Annotated[tuple[FilterArg, ...], Field(max_length=10)]
Having = Annotated[
    tuple[HavingArg, ...],
    Field(max_length=4, description="Conditions on metrics, e.g. impressions >= 1000."),
]
MetricScope = Annotated[
    tuple[Name, ...],
    Field(max_length=10, description="Only dimensions that can break down all of these metrics."),
]
TimeRange = Annotated[
    TimeRangeArg | None,
    Field(description="Which days to include; omit for all the data the warehouse has."),
]
Question = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_QUESTION_CHARS,
        description="The question in plain English, e.g. 'CTR by algorithm last month'.",
    ),
]
Sql = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_SQL_CHARS,
        description="One read-only SELECT (CTEs and UNION allowed) over the model's tables.",
    ),
]
ValueLimit = Annotated[
    int, Field(ge=1, le=MAX_VALUES, description="How many values to return, most frequent first.")
]
