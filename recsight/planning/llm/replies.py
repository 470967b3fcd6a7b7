"""What a model's reply asks for: a query, a value lookup, SQL, a refusal - or nothing readable.

Replies come as tool calls or as one JSON object in the message text. Parsing is lenient about
wrapping (code fences, prose around the object) and strict about content: anything that is not
one of the actions becomes a `malformed` action whose problem is sent back to the model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from recsight.planning.llm.client import Reply, ToolCall
from recsight.planning.llm.schema import QUERY_TOOL, REFUSE_TOOL, SQL_TOOL, VALUES_TOOL

ActionKind = Literal["query", "values", "sql", "cannot_answer", "malformed"]

_TOOL_KINDS: dict[str, ActionKind] = {
    QUERY_TOOL: "query",
    VALUES_TOOL: "values",
    SQL_TOOL: "sql",
    REFUSE_TOOL: "cannot_answer",
}
_KINDS: tuple[ActionKind, ...] = ("query", "values", "sql", "cannot_answer")


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    data: dict[str, Any] = field(default_factory=dict)
    call_id: str | None = None
    """The tool call this answers, when the reply came as tool calls."""
    problem: str = ""


def actions_of(reply: Reply) -> list[Action]:
    """Tool calls when there are any, else the JSON object in the text."""
    if reply.tool_calls:
        return [_from_tool_call(call) for call in reply.tool_calls]
    if reply.finish_reason == "length":
        return [_malformed("it was cut off at the length limit; answer with a shorter object.")]
    return [from_text(reply.content or "")]


def _from_tool_call(call: ToolCall) -> Action:
    kind = _TOOL_KINDS.get(call.name)
    if kind is None:
        known = ", ".join(_TOOL_KINDS)
        return _malformed(f"there is no tool '{call.name}'; the tools are {known}.", call.id)
    try:
        arguments = json.loads(call.arguments or "{}")
    except ValueError as error:
        return _malformed(f"the arguments of {call.name} are not valid JSON ({error}).", call.id)
    if not isinstance(arguments, dict):
        return _malformed(f"the arguments of {call.name} must be a JSON object.", call.id)
    if kind == "query" and set(arguments) == {"query"} and isinstance(arguments["query"], dict):
        arguments = arguments["query"]
    return Action(kind, arguments, call.id)


def from_text(text: str) -> Action:
    try:
        found = extract_json(text)
    except ValueError as error:
        return _malformed(f"the JSON object is not valid ({error}).")
    if found is None:
        shown = " ".join(text.split())[:120] or "an empty message"
        return _malformed(f"expected one JSON object, got {shown!r}.")
    action = found.get("action")
    if action is None and "metrics" in found:
        return Action("query", found)
    if action not in _KINDS:
        listed = ", ".join(_KINDS)
        return _malformed(f"'action' must be one of {listed}; got {json.dumps(action)}.")
    if action == "query":
        query = found.get("query")
        if not isinstance(query, dict):
            return _malformed("an action 'query' needs a 'query' object.")
        return Action("query", query)
    return Action(action, {k: v for k, v in found.items() if k != "action"})


def extract_json(text: str) -> dict[str, Any] | None:
    """The JSON object that starts at the text's first brace, allowing code fences and prose
    around it; None when there is no brace, ValueError when the object there is broken."""
    start = text.find("{")
    if start == -1:
        return None
    value, _ = json.JSONDecoder().raw_decode(text, start)
    return value if isinstance(value, dict) else None


def _malformed(problem: str, call_id: str | None = None) -> Action:
    return Action("malformed", call_id=call_id, problem=problem)
