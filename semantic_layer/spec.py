"""The semantic model as typed, frozen specs: tables, joins, dimensions, measures, metrics."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Join(Spec):
    """A many-to-one join: `foreign_key` of this table holds the primary key of table `to`."""

    to: str
    foreign_key: str
    required: bool = False
    """Every row has a match (the key is never NULL and always found), so the compiler may use an
    inner join, which DuckDB runs several times faster. Declaring it wrongly drops rows."""


class Table(Spec):
    name: str = ""
    sql_table: str = ""
    description: str = ""
    primary_key: str
    time_column: str | None = None
    columns: tuple[str, ...]
    joins: tuple[Join, ...] = ()


class Grain(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"
    day_of_week = "day_of_week"
    hour_of_day = "hour_of_day"


TRUNCATING_GRAINS = (Grain.day, Grain.week, Grain.month, Grain.quarter, Grain.year)


class Dimension(Spec):
    name: str = ""
    type: Literal["categorical", "time", "boolean"] = "categorical"
    table: str = ""
    expr: str = ""
    description: str
    synonyms: tuple[str, ...] = ()
    index_values: bool = True
    """Whether the planner indexes this dimension's values (off for high-cardinality names)."""


Aggregation = Literal["sum", "count", "count_distinct", "average", "min", "max"]


class Measure(Spec):
    name: str = ""
    table: str
    agg: Aggregation
    expr: str | None = None
    filter: str | None = None
    description: str = ""
    broadcast: bool = False
    """A catalog-level measure (active products) that is repeated over dimensions it can't reach."""


Unit = Literal["count", "percent", "currency", "number"]


class Metric(Spec):
    name: str = ""
    type: Literal["simple", "ratio", "derived"]
    description: str
    synonyms: tuple[str, ...] = ()
    unit: Unit = "count"
    higher_is_better: bool = True
    measure: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    expr: str | None = None
    significance: Literal["proportion", "none"] = "none"
    """How the explainer tests a difference: 'proportion' for rates of counts (CTR)."""


class SemanticModel(Spec):
    name: str
    description: str = ""
    currency: str = "USD"
    tables: dict[str, Table]
    dimensions: dict[str, Dimension]
    measures: dict[str, Measure]
    metrics: dict[str, Metric]
    time_dimension: str = Field(default="date")
    headline_metric: str | None = None
    """The metric a question that names none is about ("is the neural model beating CF?")."""
    overview_metrics: tuple[str, ...] = ()
    """What "how is X performing?" shows when no metric is named."""

    def fact_tables(self) -> list[str]:
        return sorted({m.table for m in self.measures.values()})
