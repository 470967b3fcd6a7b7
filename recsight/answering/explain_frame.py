"""A result seen the way the explainer reads it: which columns are groups, periods and metrics."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from recsight.answering.formatting import NOT_RECORDED
from recsight.engine import QueryResult
from semantic_layer.query import DimensionRef, SemanticQuery
from semantic_layer.spec import TRUNCATING_GRAINS, Grain, Metric, SemanticModel, Unit


@dataclass(frozen=True)
class Frame:
    model: SemanticModel
    query: SemanticQuery
    columns: list[str]
    rows: list[tuple[Any, ...]]
    categories: list[DimensionRef]
    """Dimensions that split rows into groups (day-of-week and hour-of-day count as groups)."""
    time: DimensionRef | None
    """The time dimension at a truncating grain (day, week, ...): a trend."""

    @property
    def metrics(self) -> list[str]:
        return list(self.query.metrics)

    def spec(self, metric: str) -> Metric:
        return self.model.metrics[metric]

    def unit(self, metric: str) -> Unit:
        return self.model.metrics[metric].unit

    def column(self, row: Sequence[Any], name: str) -> Any:
        return row[self.columns.index(name)]

    def number(self, row: Sequence[Any], metric: str) -> float | None:
        value = self.column(row, metric)
        if value is None:
            return None
        return float(value) if isinstance(value, Decimal) else value

    def primary_metric(self) -> str:
        """The metric a comparison is about: the one the query sorts by, else the first rate.

        A rate says which group does better; a volume mostly says which group was shown more.
        """
        for order in self.query.order_by:
            if order.field in self.query.metrics:
                return order.field
        for metric in self.query.metrics:
            if self.spec(metric).significance == "proportion":
                return metric
        return self.query.metrics[0]


def frame_of(model: SemanticModel, outcome: QueryResult) -> Frame:
    query = outcome.compiled.query
    time: DimensionRef | None = None
    categories: list[DimensionRef] = []
    for ref in query.dimensions:
        is_time = model.dimensions[ref.name].type == "time"
        if is_time and (ref.grain or Grain.day) in TRUNCATING_GRAINS and time is None:
            time = ref
        else:
            categories.append(ref)
    return Frame(
        model, query, list(outcome.result.columns), list(outcome.result.rows), categories, time
    )


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def dimension_label(name: str) -> str:
    """A dimension as a sentence says it: "customer type", "CLV tier"."""
    return name.replace("_", " ").replace("clv", "CLV")


def value_label(value: Any, ref: DimensionRef) -> str:
    """A group's name as a reader says it: weekday names, hours, dates by grain."""
    if value is None:
        return NOT_RECORDED
    if ref.grain == Grain.day_of_week and isinstance(value, int | float):
        return calendar.day_name[(int(value) - 1) % 7]
    if ref.grain == Grain.hour_of_day and isinstance(value, int | float):
        return f"{int(value):02d}:00"
    if isinstance(value, datetime | date):
        return period_label(value, ref.grain or Grain.day)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def at_period(day: date, grain: Grain) -> str:
    """A period with its preposition: "on 3 Nov 2026", "in the week of 2 Nov 2026"."""
    return ("on " if grain == Grain.day else "in ") + period_label(day, grain)


def period_label(day: date, grain: Grain) -> str:
    if isinstance(day, datetime):
        day = day.date()
    if grain == Grain.week:
        return f"the week of {day.day} {day:%b %Y}"
    if grain == Grain.month:
        return f"{day:%b %Y}"
    if grain == Grain.quarter:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if grain == Grain.year:
        return str(day.year)
    return f"{day.day} {day:%b %Y}"
