"""Which planner reads a question: the built-in one first, the LLM when it can't.

The built-in planner answers whenever it reads the whole question with confidence; a refusal or a
shaky reading goes to the LLM, if one is configured. With none configured this is the built-in
planner, and nothing is ever sent anywhere.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

from recsight.planning.base import Plan, PlanContext, Planner
from semantic_layer.errors import EndpointError, PlanningError

if TYPE_CHECKING:
    from recsight.answering.answer import Answer
    from recsight.engine import Engine
    from recsight.planning.llm.planner import LlmPlanner

log = logging.getLogger(__name__)

PlannerChoice = Literal["auto", "builtin", "llm"]
PLANNER_CHOICES: tuple[PlannerChoice, ...] = ("auto", "builtin", "llm")

CONFIDENT = 0.75
"""The built-in planner's confidence drops 0.15 per fuzzy match and 0.3 per word it could not
place: one typo still counts as a confident reading, an unplaced word does not."""


class Router:
    name = "auto"

    def __init__(self, builtin: Planner, llm: LlmPlanner | None) -> None:
        self.builtin = builtin
        self.llm = llm

    def plan(self, question: str, context: PlanContext) -> Plan:
        try:
            plan = self.builtin.plan(question, context)
        except PlanningError as refusal:
            if self.llm is None:
                raise
            log.info("built-in planner refused (%s); asking the LLM", refusal.message)
            return self._ask_llm(self.llm, question, context, refusal=refusal)
        if plan.confidence >= CONFIDENT or self.llm is None:
            return plan
        log.info("built-in reading has confidence %.2f; asking the LLM", plan.confidence)
        return self._ask_llm(self.llm, question, context, shaky=plan)

    def phrase(self, answer: Answer) -> Answer:
        return self.llm.phrase(answer) if self.llm is not None else answer

    def _ask_llm(
        self,
        llm: LlmPlanner,
        question: str,
        context: PlanContext,
        *,
        refusal: PlanningError | None = None,
        shaky: Plan | None = None,
    ) -> Plan:
        try:
            return llm.plan(question, context)
        except EndpointError as failure:
            if shaky is not None:
                shaky.notes.append(
                    f"The LLM could not be used, so this is the built-in reading: {failure.message}"
                )
                return shaky
            assert refusal is not None
            raise EndpointError(
                failure.message,
                hint=f"{failure.hint} The built-in planner could not read the question either: "
                f"{refusal.message}".strip(),
            ) from None
        except PlanningError as llm_refusal:
            if shaky is not None:
                return shaky
            assert refusal is not None
            raise PlanningError(
                refusal.message, hint=f"{refusal.hint} {llm_refusal.message}".strip()
            ) from None


def default_planner(engine: Engine | None = None, choice: PlannerChoice = "auto") -> Planner:
    """The planner for `choice`; `auto` routes to the LLM only when one is configured."""
    from recsight.planning.builtin import BuiltinPlanner

    if choice not in PLANNER_CHOICES:
        raise PlanningError(
            f"Unknown planner '{choice}'.", hint=f"Choose one of {', '.join(PLANNER_CHOICES)}."
        )
    if choice == "builtin":
        return BuiltinPlanner()
    from recsight.planning.llm import planner_from_env

    if choice == "llm":
        return planner_from_env(engine)
    from recsight.planning.llm.config import load_settings

    if load_settings() is None:
        return Router(BuiltinPlanner(), None)
    return Router(BuiltinPlanner(), planner_from_env(engine))


def phrase(planner: Planner, answer: Answer) -> Answer:
    """The answer with its explanation phrased by the LLM, when the planner has one to ask."""
    phraser = getattr(planner, "phrase", None)
    return phraser(answer) if callable(phraser) else answer
