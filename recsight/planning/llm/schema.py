"""JSON schemas the model fills: the semantic query (from its pydantic model, with the catalog's
names as enums), the tools, and the one-object reply used when a server has no tool calling."""

from __future__ import annotations

import copy
from typing import Any

from semantic_layer.query import SemanticQuery
from semantic_layer.spec import Grain, SemanticModel

Schema = dict[str, Any]

QUERY_TOOL = "submit_query"
VALUES_TOOL = "get_dimension_values"
SQL_TOOL = "submit_sql"
REFUSE_TOOL = "cannot_answer"

# `where` takes free text; filters say the same things in a shape the schema can constrain.
_LEFT_OUT = ("where",)


def query_schema(model: SemanticModel) -> Schema:
    """SemanticQuery's JSON schema, self-contained, with every name limited to the catalog's."""
    raw = SemanticQuery.model_json_schema()
    schema = _inline(raw, raw.get("$defs", {}))
    schema.pop("$defs", None)
    for name in _LEFT_OUT:
        schema["properties"].pop(name, None)
    _strip(schema)

    metrics = sorted(model.metrics)
    dimensions = sorted(model.dimensions)
    props = schema["properties"]
    props["metrics"]["items"] = {"type": "string", "enum": metrics}
    props["dimensions"]["items"]["properties"]["name"]["enum"] = dimensions
    props["filters"]["items"]["properties"]["dimension"]["enum"] = dimensions
    props["having"]["items"]["properties"]["metric"]["enum"] = metrics
    props["order_by"]["items"]["properties"]["field"]["enum"] = order_fields(model)
    return schema


def order_fields(model: SemanticModel) -> list[str]:
    """What a query may be ordered by: metrics and the result columns of dimensions."""
    columns = [name for name in model.dimensions]
    time = model.time_dimension
    columns += [f"{time}_{g.value}" for g in Grain if g != Grain.day]
    return sorted(model.metrics) + sorted(columns)


def values_schema(model: SemanticModel) -> Schema:
    categorical = sorted(n for n, d in model.dimensions.items() if d.type != "time")
    return {
        "type": "object",
        "properties": {
            "dimension": {"type": "string", "enum": categorical},
            "search": {"type": "string", "description": "Part of the value, any case."},
        },
        "required": ["dimension"],
    }


def sql_schema() -> Schema:
    return {
        "type": "object",
        "properties": {
            "sql": {"type": "string", "description": "One read-only DuckDB SELECT."},
            "reason": {"type": "string", "description": "Why a semantic query can't say it."},
        },
        "required": ["sql", "reason"],
    }


def refuse_schema() -> Schema:
    return {
        "type": "object",
        "properties": {"reason": {"type": "string"}},
        "required": ["reason"],
    }


def tools(model: SemanticModel, descriptions: dict[str, str], allow_sql: bool) -> list[Schema]:
    """The Chat Completions `tools` list; descriptions come from the prompt files."""
    parameters = {
        QUERY_TOOL: query_schema(model),
        VALUES_TOOL: values_schema(model),
        REFUSE_TOOL: refuse_schema(),
    }
    if allow_sql:
        parameters[SQL_TOOL] = sql_schema()
    return [
        {
            "type": "function",
            "function": {"name": name, "description": descriptions[name], "parameters": params},
        }
        for name, params in parameters.items()
    ]


def reply_schema(model: SemanticModel, allow_sql: bool) -> Schema:
    """One JSON object naming its action, for servers without tool calling."""
    actions = ["query", "values", "cannot_answer"] + (["sql"] if allow_sql else [])
    properties: Schema = {
        "action": {"type": "string", "enum": actions},
        "query": query_schema(model),
        "dimension": values_schema(model)["properties"]["dimension"],
        "search": {"type": "string"},
        "reason": {"type": "string"},
    }
    if allow_sql:
        properties["sql"] = {"type": "string"}
    return {"type": "object", "properties": properties, "required": ["action"]}


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """Replace every `$ref` with a copy of its definition: some servers' grammars can't follow
    references."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = copy.deepcopy(defs[ref.removeprefix("#/$defs/")])
            merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            return _inline(merged, defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    return node


def _strip(node: Any) -> None:
    """Drop titles and defaults: they cost tokens and tell the model nothing."""
    if isinstance(node, dict):
        node.pop("title", None)
        node.pop("default", None)
        for value in node.values():
            _strip(value)
    elif isinstance(node, list):
        for item in node:
            _strip(item)
