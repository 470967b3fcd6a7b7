"""Bodies of the catalog tools: metrics, dimensions and dimension values, compact and searchable."""

from __future__ import annotations

from mcp_types import CallToolResult

from semantic_layer.catalog import dimensions_for, require_dimension, require_metric
from semantic_layer.spec import Grain, SemanticModel
from server.results import records_table, result
from server.schemas import (
    DimensionInfo,
    DimensionList,
    DimensionValue,
    MetricInfo,
    MetricList,
    ValueList,
)
from server.state import ServerState

MAX_LISTED = 60
"""Catalogs larger than this are cut (with `truncated`) so they fit a client's context."""


def metric_list(model: SemanticModel, search: str | None) -> CallToolResult:
    found = [
        MetricInfo(
            name=m.name,
            description=m.description.strip(),
            unit=m.unit,
            higher_is_better=m.higher_is_better,
            synonyms=[s for s in m.synonyms if s != m.name],
        )
        for m in model.metrics.values()
        if _matches(search, m.name, m.description, *m.synonyms)
    ]
    listed = found[:MAX_LISTED]
    rows = [(m.name, m.unit, m.description) for m in listed]
    text = records_table(["metric", "unit", "description"], rows) if rows else _nothing(search)
    if len(found) > len(listed):
        text += f"\n\n_{len(found) - len(listed)} more metrics; pass `search` to narrow._"
    text += (
        "\n\nUnits: percent values are fractions (0.05 = 5%); currency is " + model.currency + "."
    )
    return result(
        text, MetricList(metrics=listed, total=len(found), truncated=len(found) > len(listed))
    )


def dimension_list(model: SemanticModel, metrics: list[str]) -> CallToolResult:
    for metric in metrics:
        require_metric(model, metric)
    fitting = dimensions_for(model, metrics) if metrics else list(model.dimensions)
    listed = [
        DimensionInfo(
            name=d.name,
            type=d.type,
            description=" ".join(d.description.split()),
            grains=[g.value for g in Grain] if d.type == "time" else [],
            synonyms=[s for s in d.synonyms if s != d.name],
        )
        for d in (model.dimensions[name] for name in fitting)
    ]
    rows = [(d.name, d.type, d.description) for d in listed]
    text = records_table(["dimension", "type", "description"], rows)
    scope = f"Dimensions that fit {', '.join(metrics)}." if metrics else "All dimensions."
    text = f"{scope}\n\n{text}\n\nGroup by time with a grain: 'date:week', 'date:month'."
    return result(text, DimensionList(dimensions=listed, metrics=metrics))


def value_list(
    state: ServerState, dimension: str, search: str | None, limit: int
) -> CallToolResult:
    from recsight.answering.formatting import plain

    require_dimension(state.model, dimension)
    found = state.engine().dimension_values(dimension, search, limit + 1)
    values = [DimensionValue(value=plain(v), rows=n) for v, n in found[:limit]]
    more = len(found) > limit
    rows = [(v.value, f"{v.rows:,}") for v in values]
    text = records_table([dimension, "rows"], rows) if rows else _nothing(search)
    if more:
        text += "\n\n_More values exist; pass `search` or a larger `limit` (up to 200)._"
    return result(text, ValueList(dimension=dimension, values=values, truncated=more))


def _matches(search: str | None, *texts: str) -> bool:
    if not search:
        return True
    words = search.lower().split()
    haystack = " ".join(texts).lower()
    return all(word in haystack for word in words)


def _nothing(search: str | None) -> str:
    return f"Nothing matches '{search}'. Call again without `search` to see everything."
