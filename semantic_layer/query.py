"""The semantic query: what to compute, by what, for which rows. Planners produce it; the compiler
turns it into SQL."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from semantic_layer.errors import unknown_name
from semantic_layer.spec import Grain

FilterOperator = Literal[
    "=",
    "!=",
    "in",
    "not in",
    "<",
    "<=",
    ">",
    ">=",
    "between",
    "like",
    "not like",
    "is null",
    "is not null",
]
MetricOperator = Literal["=", "!=", "<", "<=", ">", ">="]
Scalar = str | int | float | bool | date

MAX_LIMIT = 100_000


class QueryPart(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DimensionRef(QueryPart):
    """A dimension to group by; time dimensions take a grain (default day)."""

    name: str = Field(description="Dimension name, e.g. 'algorithm' or 'date'.")
    grain: Grain | None = Field(
        default=None, description="Time grain, only for the time dimension."
    )

    @classmethod
    def parse(cls, text: str) -> DimensionRef:
        name, _, grain = text.strip().partition(":")
        return cls.model_validate({"name": name.strip(), "grain": grain.strip() or None})

    @field_validator("grain", mode="before")
    @classmethod
    def _known_grain(cls, value: Any) -> Any:
        grains = [g.value for g in Grain]
        if isinstance(value, str) and value not in grains:
            raise ValueError(unknown_name("grain", value, grains))
        return value

    @property
    def column(self) -> str:
        """The result column's name: 'date' for days, 'date_week' for weeks, etc."""
        if self.grain is None or self.grain == Grain.day:
            return self.name
        return f"{self.name}_{self.grain.value}"

    def label(self) -> str:
        return self.name if self.grain is None else f"{self.name}:{self.grain.value}"


class Filter(QueryPart):
    """A condition on a dimension; filters are combined with AND."""

    dimension: str
    operator: FilterOperator = "="
    values: list[Scalar] = Field(default_factory=list)

    @model_validator(mode="after")
    def _arity(self) -> Filter:
        needed = {"between": 2, "is null": 0, "is not null": 0, "in": -1, "not in": -1}
        count = needed.get(self.operator, 1)
        if count == -1 and not self.values:
            raise ValueError(f"operator '{self.operator}' needs at least one value")
        if count >= 0 and len(self.values) != count:
            raise ValueError(
                f"operator '{self.operator}' needs {count} value(s), got {len(self.values)}"
            )
        return self


class MetricFilter(QueryPart):
    """A condition on a computed metric (applied after aggregation, like HAVING)."""

    metric: str
    operator: MetricOperator
    value: float


class TimeRange(QueryPart):
    """Inclusive start and end dates."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> TimeRange:
        if self.start > self.end:
            raise ValueError(f"time range starts ({self.start}) after it ends ({self.end})")
        return self

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def shifted(self, days: int) -> TimeRange:
        return TimeRange(
            start=self.start + timedelta(days=days), end=self.end + timedelta(days=days)
        )


class OrderBy(QueryPart):
    field: str = Field(description="A metric name or a result column of a dimension.")
    descending: bool = False


class SemanticQuery(QueryPart):
    """Metrics by dimensions, filtered, over a time range."""

    metrics: list[str] = Field(min_length=1)
    dimensions: list[DimensionRef] = Field(default_factory=list)
    filters: list[Filter] = Field(default_factory=list)
    where: str | None = Field(default=None, description="Boolean expression over dimension names.")
    having: list[MetricFilter] = Field(default_factory=list)
    time_range: TimeRange | None = None
    order_by: list[OrderBy] = Field(default_factory=list)
    limit: int | None = Field(default=None, ge=1, le=MAX_LIMIT)

    @field_validator("dimensions", mode="before")
    @classmethod
    def _dimension_strings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [DimensionRef.parse(v) if isinstance(v, str) else v for v in value]
        return value

    @field_validator("order_by", mode="before")
    @classmethod
    def _order_strings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_order_from_text(v) if isinstance(v, str) else v for v in value]
        return value

    def output_columns(self) -> list[str]:
        return [d.column for d in self.dimensions] + list(self.metrics)


def _order_from_text(text: str) -> dict[str, Any]:
    text = text.strip()
    if text.startswith("-"):
        return {"field": text[1:].strip(), "descending": True}
    field, _, direction = text.partition(" ")
    return {"field": field, "descending": direction.strip().lower() == "desc"}
