"""Charts drawn with block characters, for answers shown in a terminal."""

from __future__ import annotations

import calendar
from typing import TYPE_CHECKING, Any

from rich.table import Table

from recsight.answering.formatting import NOT_RECORDED, format_value
from recsight.answering.restate import metric_label

if TYPE_CHECKING:
    from recsight.answering.answer import Answer
    from recsight.answering.chart import Shape

_EIGHTHS = " ▏▎▍▌▋▊▉"
_SPARKS = "▁▂▃▄▅▆▇█"
MAX_BARS = 20
MAX_SERIES = 6
MAX_SPARK = 48


def bar(value: float, top: float, width: int) -> str:
    """A bar of `width` cells at most, drawn to an eighth of a cell."""
    if top <= 0 or value <= 0:
        return ""
    eighths = round(value / top * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def spark(values: list[float], low: float, high: float) -> str:
    span = high - low
    if span <= 0:
        return _SPARKS[len(_SPARKS) // 2] * len(values)
    return "".join(_SPARKS[min(int((v - low) / span * len(_SPARKS)), 7)] for v in values)


def bars(answer: Answer, shape: Shape, width: int) -> Table | None:
    at = {name: answer.columns.index(name) for name in answer.columns}
    rows = [r for r in answer.rows if r[at[shape.metric]] is not None][:MAX_BARS]
    if not rows:
        return None
    top = max(float(r[at[shape.metric]]) for r in rows)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold")
    grid.add_column(style="cyan", no_wrap=True)
    grid.add_column(justify="right")
    for row in rows:
        label = _label(row[at[shape.main]], shape.main)
        if shape.split:
            label += f" · {_label(row[at[shape.split]], shape.split)}"
        value = float(row[at[shape.metric]])
        shown = format_value(value, shape.unit)
        grid.add_row(label, bar(value, top, width), shown)
    grid.title = f"{metric_label(shape.metric)}"
    grid.title_justify = "left"
    return grid


def sparklines(answer: Answer, shape: Shape) -> Table | None:
    series = _series(answer, shape)
    if not series:
        return None
    values = [v for points in series.values() for _, v in points]
    low, high = min(values), max(values)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold")
    grid.add_column(justify="right")
    grid.add_column(style="cyan", no_wrap=True)
    grid.add_column(justify="right")
    for name, points in list(series.items())[:MAX_SERIES]:
        line = spark(_squeeze([v for _, v in points]), low, high)
        first = format_value(points[0][1], shape.unit)
        last = format_value(points[-1][1], shape.unit)
        grid.add_row(name, first, line, last)
    start, end = min(p[0][0] for p in series.values()), max(p[-1][0] for p in series.values())
    grid.title = f"{metric_label(shape.metric)}, {start} to {end}"
    grid.title_justify = "left"
    return grid


def _series(answer: Answer, shape: Shape) -> dict[str, list[tuple[str, float]]]:
    at = {name: answer.columns.index(name) for name in answer.columns}
    found: dict[str, list[tuple[str, float]]] = {}
    for row in answer.rows:
        value, when = row[at[shape.metric]], row[at[shape.main]]
        if value is None or when is None:
            continue
        name = (
            _label(row[at[shape.split]], shape.split) if shape.split else metric_label(shape.metric)
        )
        found.setdefault(name, []).append((str(when), float(value)))
    return {name: sorted(points) for name, points in found.items()}


def _squeeze(values: list[float]) -> list[float]:
    """At most MAX_SPARK points: longer series are averaged in even buckets."""
    if len(values) <= MAX_SPARK:
        return values
    size = len(values) / MAX_SPARK
    buckets = [values[int(i * size) : int((i + 1) * size)] for i in range(MAX_SPARK)]
    return [sum(b) / len(b) for b in buckets if b]


def _label(value: Any, column: str) -> str:
    if value is None:
        return NOT_RECORDED
    if column.endswith("_day_of_week") and isinstance(value, int):
        return calendar.day_abbr[(value - 1) % 7]
    if column.endswith("_hour_of_day") and isinstance(value, int):
        return f"{value:02d}:00"
    return str(value)
