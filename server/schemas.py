"""Structured content of each tool: the output schemas clients see in tools/list."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

Cell = str | int | float | bool | None
"""A result value as JSON: dates are ISO text, decimals are numbers."""


class MetricInfo(BaseModel):
    name: str
    description: str
    unit: str = Field(description="count, percent (a fraction: 0.05 is 5%), currency or number.")
    higher_is_better: bool
    synonyms: list[str]


class MetricList(BaseModel):
    metrics: list[MetricInfo]
    total: int = Field(description="How many metrics matched before truncation.")
    truncated: bool


class DimensionInfo(BaseModel):
    name: str
    type: str = Field(description="categorical, boolean or time.")
    description: str
    grains: list[str] = Field(description="For the time dimension: write 'date:week' etc.")
    synonyms: list[str]


class DimensionList(BaseModel):
    dimensions: list[DimensionInfo]
    metrics: list[str] = Field(description="The metrics every listed dimension can break down.")


class DimensionValue(BaseModel):
    value: Cell
    rows: int = Field(description="How many rows of the dimension's table have this value.")


class ValueList(BaseModel):
    dimension: str
    values: list[DimensionValue]
    truncated: bool = Field(description="True when more values exist than were returned.")


class Span(BaseModel):
    start: str
    end: str


class QueryAnswer(BaseModel):
    """A computed answer: the table, how the request was read, the SQL and the explanation."""

    question: str = Field(description="The question as asked; '' for query_metrics.")
    restatement: str = Field(description="How the request was read, in one line.")
    query: dict[str, Any] | None = Field(description="The resolved semantic query.")
    sql: str = Field(description="The SQL that ran on the warehouse.")
    columns: list[str]
    units: dict[str, str] = Field(description="Unit of each metric column.")
    rows: list[list[Cell]] = Field(description="Raw values; rates are fractions (0.0237 = 2.37%).")
    row_count: int = Field(description="Rows in this response.")
    truncated: bool = Field(description="True when rows were cut to fit the response.")
    explanation: list[str] = Field(description="Sentences computed from the numbers.")
    caveats: list[str]
    time_range: Span | None = Field(description="The days the answer covers.")
    data_range: Span | None = Field(description="The days the warehouse covers.")
    planner: str
    chart: bool = Field(description="Whether a chart image is attached.")


class CompiledSql(BaseModel):
    restatement: str
    query: dict[str, Any]
    dialect: str
    sql: str
    columns: list[str]


class SqlResult(BaseModel):
    sql: str = Field(description="The SQL that ran, after the guard (row limit, dialect).")
    tables: list[str]
    columns: list[str]
    rows: list[list[Cell]]
    row_count: int
    truncated: bool
