"""The MCP server: recsight's tools, resources and prompts on the SDK's MCPServer."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp_types import CallToolResult, InputRequiredResult
from pydantic import ValidationError

from semantic_layer.errors import closest
from server.errors import invalid_arguments, unknown_arguments
from server.prompts import build_prompts
from server.resources import build_resources
from server.state import ServerState
from server.tools import build_tools

INSTRUCTIONS = """\
recsight answers questions about an e-commerce shop's recommendation engines (which algorithm
wins on CTR, conversion and revenue, by customer segment, product category, placement, device and
time) from a governed semantic layer over its data warehouse.

Workflow: list_metrics and list_dimensions to learn the exact names; get_dimension_values before
filtering on a value; query_metrics to compute (it returns the table, the SQL and an explanation
computed from the numbers). ask takes a whole plain-English question instead. compile_sql shows a
query's SQL without running it; run_sql runs guarded read-only SQL for what the metrics can't
express. Rates are fractions (0.0237 = 2.37%). Quote numbers from the results; don't invent them.
"""


class RecsightServer(MCPServer[Any]):
    """MCPServer whose argument errors are rewritten for the model that has to fix them."""

    def __init__(self, state: ServerState, version: str) -> None:
        tools = build_tools(state)
        super().__init__(
            name="recsight",
            title="recsight",
            instructions=INSTRUCTIONS,
            version=version,
            tools=tools,
            resources=build_resources(state.model),
        )
        for prompt in build_prompts(state.model):
            self.add_prompt(prompt)
        self.state = state
        self._arguments = {t.name: list(t.parameters.get("properties", {})) for t in tools}

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        if name not in self._arguments:
            raise ToolError(_unknown_tool(name, list(self._arguments)))
        extra = unknown_arguments(name, arguments, self._arguments[name])
        if extra:
            raise ToolError(extra)
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as error:
            cause = error.__cause__
            if isinstance(cause, ValidationError) and not isinstance(error, UnexpectedToolError):
                # The SDK rejected the arguments against the schema; its text is pydantic's.
                raise ToolError(invalid_arguments(name, cause)) from cause
            raise


def build_server(state: ServerState) -> RecsightServer:
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("recsight")
    except PackageNotFoundError:
        release = "0+unknown"
    return RecsightServer(state, release)


def _unknown_tool(name: str, tools: list[str]) -> str:
    text = f"There is no tool '{name}'."
    suggestion = closest(name, tools, limit=1)
    if suggestion:
        text += f" Did you mean '{suggestion[0]}'?"
    return text + f" Tools: {', '.join(tools)}."
