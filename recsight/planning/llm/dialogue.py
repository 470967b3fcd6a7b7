"""One planning conversation in one output mode: what to send, and how feedback goes back.

Modes, from most to least capable: tool calls; a JSON-schema response format; a JSON object with
the schema attached (llama.cpp's extension); a bare JSON object; plain text asked to be JSON.
The planner starts at the best mode the endpoint is known to take and steps down when a server
refuses a mode or ignores it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from recsight.planning.llm.client import LlmClient, Message
from recsight.planning.llm.replies import Action, actions_of
from recsight.planning.llm.schema import Schema


class Mode(StrEnum):
    tools = "tools"
    json_schema = "json_schema"
    json_object_schema = "json_object_schema"
    json_object = "json_object"
    text = "text"


LADDER = list(Mode)
"""Every mode, best first."""


class Dialogue:
    def __init__(
        self,
        client: LlmClient,
        mode: Mode,
        messages: list[Message],
        *,
        tools: list[Schema],
        reply_schema: Schema,
    ) -> None:
        self.client = client
        self.mode = mode
        self.messages = list(messages)
        self._tools = tools
        self._schema = reply_schema
        self.turns = 0

    def ask(self) -> list[Action]:
        """Send the conversation so far; the model's reply as actions."""
        reply = self.client.chat(self.messages, **self._options())
        self.turns += 1
        assistant: Message = {"role": "assistant", "content": reply.content or ""}
        if reply.tool_calls:
            assistant["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": call.arguments},
                }
                for call in reply.tool_calls
            ]
        self.messages.append(assistant)
        return actions_of(reply)

    def answer(self, feedback: list[tuple[Action, str]]) -> None:
        """Tell the model what came of its actions: tool results, or one user message."""
        calls = [(a, text) for a, text in feedback if a.call_id is not None]
        if calls:
            for action, text in calls:
                self.messages.append(
                    {"role": "tool", "tool_call_id": action.call_id, "content": text}
                )
            return
        self.messages.append({"role": "user", "content": "\n\n".join(t for _, t in feedback)})

    def _options(self) -> dict[str, Any]:
        if self.mode == Mode.tools:
            return {"tools": self._tools, "tool_choice": "auto"}
        if self.mode == Mode.json_schema:
            return {
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": "reply", "schema": self._schema},
                }
            }
        if self.mode == Mode.json_object_schema:
            return {"response_format": {"type": "json_object", "schema": self._schema}}
        if self.mode == Mode.json_object:
            return {"response_format": {"type": "json_object"}}
        return {}
