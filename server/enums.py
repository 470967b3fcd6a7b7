"""Publish the semantic model's names as enums in the tools' input schemas.

Generated at start-up from the loaded model, so a client's model sees exactly the metrics and
dimensions this server knows. Only the published schema changes; argument validation still
accepts any string so an unknown name gets recsight's answer (valid names, closest match).
"""

from __future__ import annotations

from typing import Any

from semantic_layer.spec import Grain, SemanticModel

# tool -> argument path -> which names. A path steps into objects by property and through arrays.
_PATHS: dict[str, dict[str, str]] = {
    "list_dimensions": {"metrics": "metrics"},
    "get_dimension_values": {"dimension": "value_dimensions"},
    "query_metrics": {
        "metrics": "metrics",
        "dimensions": "group_by",
        "filters.dimension": "filter_dimensions",
        "order_by": "order_fields",
        "having.metric": "metrics",
    },
    "compile_sql": {
        "metrics": "metrics",
        "dimensions": "group_by",
        "filters.dimension": "filter_dimensions",
        "order_by": "order_fields",
        "having.metric": "metrics",
    },
}


def names(model: SemanticModel) -> dict[str, list[str]]:
    time = model.time_dimension
    group_by = [d for d in model.dimensions if d != time]
    group_by += [time] + [f"{time}:{g.value}" for g in Grain]
    # Results name a time column by its grain: date, date_week, date_month...
    columns = [d for d in model.dimensions if d != time] + [time]
    columns += [f"{time}_{g.value}" for g in Grain if g != Grain.day]
    fields = list(model.metrics) + columns
    return {
        "metrics": list(model.metrics),
        "group_by": group_by,
        "filter_dimensions": [d for d in model.dimensions if d != time],
        "value_dimensions": [d for d, spec in model.dimensions.items() if spec.type != "time"],
        "order_fields": fields + [f"-{f}" for f in fields],
    }


def publish_enums(tool: str, schema: dict[str, Any], model: SemanticModel) -> None:
    lists = names(model)
    for path, which in _PATHS.get(tool, {}).items():
        _leaf(schema, path)["enum"] = lists[which]


def _leaf(schema: dict[str, Any], path: str) -> dict[str, Any]:
    """The string schema at `path`, through $refs, optional (anyOf null) wrappers and arrays."""
    node = schema
    for part in path.split("."):
        node = _through(schema, node)["properties"][part]
    return _through(schema, node)


def _through(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while True:
        if "$ref" in node:
            node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:
            node = next(n for n in node["anyOf"] if n.get("type") != "null")
        elif node.get("type") == "array":
            node = node["items"]
        else:
            return node
