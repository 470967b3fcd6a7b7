"""'Compare with last month': the earlier period's range, and two answers merged side by side."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from recsight.answering.answer import Answer
from recsight.answering.formatting import format_value
from recsight.answering.restate import metric_label, time_range_label
from semantic_layer.errors import PlanningError
from semantic_layer.query import TimeRange

_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def earlier_range(span: TimeRange, period: str) -> TimeRange:
    """The same span one period earlier; a whole calendar month maps to the month before."""
    if period == "week":
        return span.shifted(-7)
    if period == "period":
        return span.shifted(-span.days)
    if period not in _MONTHS:
        raise PlanningError(
            f"I can't compare with the last '{period}'.",
            hint="Say last week, last month, last quarter, last year or the previous period.",
        )
    months = _MONTHS[period]
    return TimeRange(
        start=_months_back(span.start, months),
        end=_months_back(span.end, months, _is_last(span.end)),
    )


def _is_last(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _months_back(day: date, months: int, to_month_end: bool = False) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, last if to_month_end else min(day.day, last))


def merge(current: Answer, earlier: Answer, question: str) -> Answer:
    """One answer with each metric now, then, and the change, rows matched on the dimensions."""
    keys = current.dimension_columns()
    metrics = current.metric_columns()
    before = {_key(earlier, row, keys): row for row in earlier.rows}
    columns = [*keys, *(c for m in metrics for c in _trio(m, current.units.get(m)))]
    rows = [
        _merged_row(current, earlier, row, before.get(_key(current, row, keys)))
        for row in current.rows
    ]
    units: dict[str, str] = {}
    for metric in (m for m in metrics if m in current.units):
        unit = current.units[metric]
        now, before_, change = _trio(metric, unit)
        units |= {now: unit, before_: unit, change: "number" if unit == "percent" else unit}
    then = earlier.time_range
    span = time_range_label(then) if then else "the earlier period"
    return current.model_copy(
        update={
            "question": question,
            "restatement": f"{current.restatement}, compared with {span}",
            "sql": f"{current.sql}\n\n-- the earlier period, {span}\n{earlier.sql}",
            "columns": columns,
            "units": units,
            "kinds": {
                **{k: "dimension" for k in keys},
                **{c: "metric" for c in columns[len(keys) :]},
            },
            "rows": rows,
            "truncated": current.truncated or earlier.truncated,
            "explanation": _changes(current, rows, keys, metrics, span),
            "caveats": [*current.caveats, *earlier.caveats],
            "chart": None,
            "planner": "structured",
            "facts": {"compared_with": then.model_dump(mode="json") if then else None},
        }
    )


def _trio(metric: str, unit: str | None) -> list[str]:
    """The merged columns of a metric; a rate's change is in percentage points."""
    change = f"{metric}_change_pts" if unit == "percent" else f"{metric}_change"
    return [metric, f"{metric}_before", change]


def _key(answer: Answer, row: list[Any], keys: list[str]) -> tuple[Any, ...]:
    return tuple(row[answer.columns.index(k)] for k in keys)


def _merged_row(
    current: Answer, earlier: Answer, row: list[Any], then: list[Any] | None
) -> list[Any]:
    merged = [row[current.columns.index(k)] for k in current.dimension_columns()]
    for metric in current.metric_columns():
        now = row[current.columns.index(metric)]
        was = then[earlier.columns.index(metric)] if then else None
        change = None
        if isinstance(now, int | float) and isinstance(was, int | float):
            # A rate's change in points, to the hundredth the table shows; other units as they are.
            rate = current.units.get(metric) == "percent"
            change = round((now - was) * 100, 2) if rate else now - was
        merged += [now, was, change]
    return merged


def _changes(
    answer: Answer, rows: list[list[Any]], keys: list[str], metrics: list[str], span: str
) -> list[str]:
    """One sentence per row and metric, from the merged numbers (at most six)."""
    sentences: list[str] = []
    for row in rows[:3]:
        who = ", ".join("–" if v is None else str(v) for v in row[: len(keys)])
        for index, metric in enumerate(metrics[:2]):
            now, was, _ = row[len(keys) + 3 * index : len(keys) + 3 * index + 3]
            sentences.append(_sentence(who, metric, answer.units.get(metric), now, was, span))
    if not rows:
        sentences.append("No rows in the current period to compare.")
    return sentences


def _sentence(who: str, metric: str, unit: Any, now: Any, was: Any, span: str) -> str:
    label = metric_label(metric)
    subject = f"{label} for {who}" if who else label
    if not isinstance(now, int | float):
        return f"{subject}: no value now."
    if not isinstance(was, int | float):
        return f"{subject}: {format_value(now, unit)}, with no data in {span}."
    change = now - was
    if change == 0:
        return f"{subject} is unchanged from {span} at {format_value(now, unit)}."
    verb = "rose" if change > 0 else "fell"
    relative = f" ({change / was:+.1%})" if was else ""
    amount = (
        f"{abs(change) * 100:.2f} pts" if unit == "percent" else format_value(abs(change), unit)
    )
    return (
        f"{subject} {verb} by {amount}{relative}: {format_value(was, unit)} in {span}, "
        f"{format_value(now, unit)} now."
    )
