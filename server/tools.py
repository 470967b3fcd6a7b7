"""The tools. Each docstring is the description a client's model reads: when to call the tool and
what comes back. Bodies stay thin: check names, call the engine, hand the answer to `results`.

Heavy modules (DuckDB, the compiler, the planner) are imported inside the bodies so that listing
the tools at start-up costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult, ToolAnnotations

from semantic_layer.spec import SemanticModel
from server import arguments as arg
from server.enums import publish_enums
from server.query_tools import QueryTools
from server.reporting import reported
from server.schemas import DimensionList, MetricList, ValueList
from server.state import ServerState

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)


class Tools(QueryTools):
    """The catalog tools; the query tools come from QueryTools."""

    def __init__(self, state: ServerState) -> None:
        self.state = state

    @reported
    def list_metrics(self, search: arg.Search = None) -> Annotated[CallToolResult, MetricList]:
        """List the metrics you can compute (CTR, revenue, conversion rate, ...) with their units
        and descriptions. Call this first to learn the exact metric names for query_metrics. Pass
        `search` to filter by a word (matches names, descriptions and synonyms)."""
        from server.catalog import metric_list

        return metric_list(self.state.model, search)

    @reported
    def list_dimensions(
        self,
        metrics: arg.MetricScope = (),
    ) -> Annotated[CallToolResult, DimensionList]:
        """List the dimensions you can group or filter by (algorithm, placement, category, customer
        segment, date, ...). Pass `metrics` to see only the dimensions that fit those metrics. The
        time dimension 'date' takes a grain: group by 'date:week' or 'date:month'."""
        from server.catalog import dimension_list

        return dimension_list(self.state.model, list(metrics))

    @reported
    def get_dimension_values(
        self, dimension: arg.Name, search: arg.Search = None, limit: arg.ValueLimit = 50
    ) -> Annotated[CallToolResult, ValueList]:
        """The exact spellings of a dimension's values, most frequent first, with row counts. Call
        this before filtering (e.g. category = 'Outerwear') so filter values match exactly."""
        from server.catalog import value_list

        return value_list(self.state, dimension, search, limit)


def build_tools(state: ServerState) -> list[Tool]:
    """The MCP tools over `state`, with the model's names published as enums in their schemas."""
    tools = Tools(state)
    functions: list[tuple[Callable[..., CallToolResult], str]] = [
        (tools.list_metrics, "List metrics"),
        (tools.list_dimensions, "List dimensions"),
        (tools.get_dimension_values, "Dimension values"),
        (tools.query_metrics, "Compute metrics"),
        (tools.ask, "Ask a question"),
        (tools.compile_sql, "Show the SQL for a query"),
        (tools.run_sql, "Run read-only SQL"),
    ]
    built = [
        Tool.from_function(
            fn,
            title=title,
            description=" ".join((fn.__doc__ or "").split()),
            annotations=READ_ONLY,
            structured_output=True,
        )
        for fn, title in functions
    ]
    for tool in built:
        publish_enums(tool.name, tool.parameters, state.model)
        if tool.name == "run_sql":
            tool.description += "\n\n" + table_listing(state.model)
    return built


def table_listing(model: SemanticModel) -> str:
    """The tables and columns run_sql may read, for a model that has to write the SQL."""
    tables = [f"{t.sql_table}({', '.join(t.columns)})" for t in model.tables.values()]
    return "Tables and columns: " + "; ".join(tables) + "."


def allowed_arguments(tool: Tool) -> list[str]:
    return list(tool.parameters.get("properties", {}))
