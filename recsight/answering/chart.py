"""Charts: a Vega-Lite spec for an answer, a PNG of it, and a compact terminal chart.

The chart follows the result's shape: bars for a breakdown, grouped bars for two dimensions, a
line for a trend (coloured by a second dimension). A single number or a wide table gets none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from recsight.answering.answer import Answer
from recsight.answering.formatting import NOT_RECORDED
from recsight.answering.restate import metric_label
from semantic_layer.spec import Unit

if TYPE_CHECKING:
    from rich.console import RenderableType

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
MAX_BARS = 60
MAX_POINTS = 2_000
MAX_METRICS = 4
_CYCLIC_GRAINS = ("day_of_week", "hour_of_day")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_FORMATS = {"percent": ".2%", "currency": "$,.0f", "count": ",.0f", "number": ",.3~f"}


@dataclass(frozen=True)
class Shape:
    """What to draw: the mark, the metric, and the dimensions in their roles."""

    mark: Literal["bar", "grouped", "line"]
    metric: str
    unit: Unit | None
    main: str
    """The bar's category, or the line's time column."""
    split: str | None = None
    """The second dimension: the colour of grouped bars or of lines."""


def chart_shape(answer: Answer) -> Shape | None:
    """The chart an answer calls for, or None for a single number or a wide table."""
    dimensions, metrics = answer.dimension_columns(), answer.metric_columns()
    if not answer.rows or not dimensions or not metrics or len(dimensions) > 2:
        return None
    if len(metrics) > MAX_METRICS:
        return None
    metric = answer.facts.get("metric")
    metric = metric if metric in metrics else metrics[0]
    unit = cast("Unit | None", answer.units.get(metric))
    times = [d for d in dimensions if _is_trend(answer, d)]
    if times:
        others = [d for d in dimensions if d != times[0]]
        if len(answer.rows) > MAX_POINTS:
            return None
        return Shape("line", metric, unit, times[0], others[0] if others else None)
    if not 2 <= len(answer.rows) <= MAX_BARS:
        return None
    if len(dimensions) == 2:
        return Shape("grouped", metric, unit, dimensions[0], dimensions[1])
    return Shape("bar", metric, unit, dimensions[0])


def chart_spec(answer: Answer) -> dict[str, Any] | None:
    """A Vega-Lite v5 spec with the answer's rows inline (no data URL: renders offline)."""
    shape = chart_shape(answer)
    if shape is None:
        return None
    fields = [shape.main, *([shape.split] if shape.split else []), shape.metric]
    values = [
        {name: _cell(row[answer.columns.index(name)], name == shape.metric) for name in fields}
        for row in answer.rows
        if row[answer.columns.index(shape.metric)] is not None
    ]
    measure = {
        "field": shape.metric,
        "type": "quantitative",
        "title": metric_label(shape.metric),
        "axis": {"format": _FORMATS.get(shape.unit or "", ",.3~f")},
    }
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "title": answer.restatement,
        "data": {"values": values},
        "width": 480,
        "encoding": {"tooltip": _tooltip(shape, fields)},
    }
    spec["mark"], encoding = _encoding(shape, measure)
    spec["encoding"].update(encoding)
    return spec


def _encoding(shape: Shape, measure: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    main = {"field": shape.main, "title": _title(shape.main)}
    split = {"field": shape.split, "type": "nominal", "title": _title(shape.split or "")}
    if shape.mark == "line":
        line = {"x": {**main, "type": "temporal"}, "y": measure}
        if shape.split:
            line["color"] = split
        return {"type": "line", "point": True}, line
    if shape.mark == "grouped":
        return {"type": "bar"}, {
            "x": {**main, "type": "nominal", "axis": {"labelAngle": 0}},
            "xOffset": {"field": shape.split, "type": "nominal"},
            "color": split,
            "y": measure,
        }
    cyclic = shape.main.endswith(_CYCLIC_GRAINS)
    category = {**main, "type": "ordinal" if cyclic else "nominal"}
    category["sort"] = "ascending" if cyclic else "-x"
    return {"type": "bar"}, {"y": category, "x": measure}


def _tooltip(shape: Shape, fields: list[str]) -> list[dict[str, Any]]:
    tips: list[dict[str, Any]] = []
    for name in fields:
        if name == shape.metric:
            fmt = _FORMATS.get(shape.unit or "", ",.3~f")
            tips.append({"field": name, "type": "quantitative", "format": fmt})
        elif shape.mark == "line" and name == shape.main:
            tips.append({"field": name, "type": "temporal"})
        else:
            tips.append({"field": name, "type": "nominal"})
    return tips


def _title(column: str) -> str:
    """Axis titles: "customer type"; a time column by its grain ("week" for date_week)."""
    _, _, grain = column.partition("_")
    if grain in ("day", "week", "month", "quarter", "year"):
        return grain
    return column.replace("_", " ")


def _cell(value: Any, is_metric: bool) -> Any:
    return NOT_RECORDED if value is None and not is_metric else value


def _is_trend(answer: Answer, column: str) -> bool:
    """A time column at a truncating grain (dates), as opposed to day-of-week or hour buckets."""
    if answer.query is not None:
        for ref in answer.query.dimensions:
            if ref.column == column:
                grain = ref.grain.value if ref.grain else "day"
                is_time = _looks_like_dates(answer, column)
                return is_time and grain not in _CYCLIC_GRAINS
    return _looks_like_dates(answer, column)


def _looks_like_dates(answer: Answer, column: str) -> bool:
    index = answer.columns.index(column)
    seen = [row[index] for row in answer.rows if row[index] is not None]
    return bool(seen) and all(isinstance(v, str) and _ISO_DAY.match(v) for v in seen)


def render_png(spec: dict[str, Any], path: str | Path, scale: float = 2.0) -> Path:
    """Write the chart as a PNG; nothing is fetched (inline data, no base URLs allowed)."""
    import vl_convert

    target = Path(path).expanduser()
    png = vl_convert.vegalite_to_png(vl_spec=spec, scale=scale, allowed_base_urls=[])
    target.write_bytes(png)
    return target


def terminal_chart(answer: Answer, width: int = 32) -> RenderableType | None:
    """Block-character bars for a breakdown, a sparkline row per series for a trend."""
    from recsight.answering.chart_terminal import bars, sparklines

    shape = chart_shape(answer)
    if shape is None:
        return None
    if shape.mark == "line":
        return sparklines(answer, shape)
    return bars(answer, shape, width)
