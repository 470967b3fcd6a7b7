"""Which planner the suite measures, and a wrapper that times each plan and keeps its usage."""

from __future__ import annotations

import importlib
import logging
import time
from types import ModuleType
from typing import Literal, cast

from recsight.planning.base import Plan, PlanContext, Planner
from semantic_layer.errors import UserError

log = logging.getLogger(__name__)

PlannerChoice = Literal["builtin", "llm"]
PLANNERS: tuple[PlannerChoice, ...] = ("builtin", "llm")

# Names `recsight.planning.llm` may export for a planner configured from the environment.
# TODO(issue 5): settle on one entry point with the LLM planner's author when it lands.
_LLM_FACTORIES = ("planner_from_env", "from_environment", "LLMPlanner")


def load_planner(choice: str) -> Planner:
    """The planner to evaluate; a clear error when its module is not in this checkout."""
    if choice == "builtin":
        module = _import("recsight.planning.builtin", "builtin")
        return cast(Planner, module.BuiltinPlanner())
    if choice == "llm":
        module = _import("recsight.planning.llm", "llm")
        for name in _LLM_FACTORIES:
            factory = getattr(module, name, None)
            if callable(factory):
                return cast(Planner, factory())
        raise UserError(
            "recsight.planning.llm has no planner entry point the eval knows "
            f"({', '.join(_LLM_FACTORIES)})."
        )
    raise UserError(f"Unknown planner '{choice}'.", hint=f"Planners: {', '.join(PLANNERS)}.")


def _import(module: str, choice: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as missing:
        if missing.name != module:
            raise
        other = "builtin" if choice == "llm" else "llm"
        raise UserError(
            f"--planner {choice} needs {module}, which this version of recsight does not have.",
            hint=f"Try --planner {other}, or update recsight.",
        ) from None


class TimedPlanner:
    """Delegates to a planner and records how long its last plan took and what it used."""

    def __init__(self, inner: Planner) -> None:
        self.inner = inner
        self.name = inner.name
        self.last_ms: float | None = None
        self.last_usage: dict[str, int] | None = None

    def plan(self, question: str, context: PlanContext) -> Plan:
        self.last_ms, self.last_usage = None, None
        started = time.perf_counter()
        try:
            plan = self.inner.plan(question, context)
        finally:
            self.last_ms = (time.perf_counter() - started) * 1000
        self.last_usage = plan.usage
        return plan
