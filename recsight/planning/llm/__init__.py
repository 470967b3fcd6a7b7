"""The LLM planner: any OpenAI-compatible Chat Completions endpoint, used only when configured.

`config` decides whether an LLM is on; `client` talks to it; `planner` turns a question into a
validated semantic query (or guarded SQL); `phrasing` rewrites an explanation from its facts.
Importing this package sends nothing and does not import the openai SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recsight.engine import Engine
    from recsight.planning.llm.planner import LlmPlanner

NOT_CONFIGURED_HINT = (
    "Set RECSIGHT_LLM_BASE_URL (a local server) or OPENAI_API_KEY, and RECSIGHT_LLM_MODEL; "
    "see docs/llm.md."
)


def planner_from_env(engine: Engine | None = None) -> LlmPlanner:
    """The LLM planner as the environment and `llm.toml` configure it; EndpointError if they don't.

    With an engine the model can look up any dimension's values in the warehouse; without one it
    sees the indexed values in the planning context.
    """
    from recsight.planning.llm.config import load_settings
    from recsight.planning.llm.planner import LlmPlanner
    from semantic_layer.errors import EndpointError

    settings = load_settings()
    if settings is None:
        raise EndpointError(
            "The LLM planner was asked for, but no LLM is configured.", hint=NOT_CONFIGURED_HINT
        )
    return LlmPlanner(settings, lookup=engine.dimension_values if engine else None)
