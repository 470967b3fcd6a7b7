"""One line saying how a query was read: "CTR by algorithm, 1–30 Nov 2026"."""

from __future__ import annotations

from datetime import date

from semantic_layer.query import Filter, SemanticQuery, TimeRange
from semantic_layer.spec import SemanticModel

_LABELS = {"ctr": "CTR", "aov": "AOV"}
_OPS = {
    "=": "",
    "!=": "not ",
    "in": "",
    "not in": "not ",
    "<": "< ",
    "<=": "≤ ",
    ">": "> ",
    ">=": "≥ ",
    "like": "like ",
    "not like": "not like ",
}


def metric_label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " "))


def restate(model: SemanticModel, query: SemanticQuery) -> str:
    text = _join([metric_label(m) for m in query.metrics])
    if query.dimensions:
        text += " by " + _join([_dimension_label(d.name, d.grain) for d in query.dimensions])
    filters = [_filter_label(f) for f in query.filters]
    if query.where:
        filters.append(f"where {query.where}")
    if filters:
        text += ", " + ", ".join(filters)
    for having in query.having:
        text += f", only where {metric_label(having.metric)} {having.operator} {having.value:g}"
    if query.limit and query.order_by:
        order = query.order_by[0]
        text += (
            f", {'top' if order.descending else 'bottom'} {query.limit} by "
            f"{metric_label(order.field)}"
        )
    elif query.limit:
        text += f", first {query.limit}"
    text += ", " + (time_range_label(query.time_range) if query.time_range else "all dates")
    return text[0].upper() + text[1:] if text[:3] not in ("ctr", "aov") else text


def _dimension_label(name: str, grain: object) -> str:
    label = name.replace("_", " ")
    value = getattr(grain, "value", None)
    return f"{value.replace('_', ' ')}" if value and value != "day" else label


def _filter_label(item: Filter) -> str:
    name = item.dimension.replace("_", " ")
    if item.operator in ("is null", "is not null"):
        return f"{name} {item.operator}"
    if item.operator == "between":
        return f"{name} between {item.values[0]} and {item.values[1]}"
    values = " or ".join(str(v) for v in item.values)
    return f"{name} {_OPS.get(item.operator, item.operator + ' ')}{values}".replace("  ", " ")


def time_range_label(span: TimeRange) -> str:
    start, end = span.start, span.end
    if start == end:
        return _day(end)
    if start.year == end.year and start.month == end.month:
        return f"{start.day}–{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b}–{end.day} {end:%b %Y}"
    return f"{_day(start)}–{_day(end)}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
