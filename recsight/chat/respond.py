"""One line of the conversation to one answer: the planner, or a follow-up rule, decides the query.

A follow-up goes to the planner with the last answer first. The planner's reading is kept when it
understood the follow-up (it kept the metrics and changed something); otherwise the chat's own
follow-up rules build the query. "why?" and "compare with last month" are always the chat's: they
run more than one query and explain the result themselves.
"""

from __future__ import annotations

import importlib
import logging
import os
from datetime import date

from recsight.answering.answer import Answer, PlannerName
from recsight.answering.ask import answer_plan, answer_query, ask, plan_context
from recsight.chat.compare import merge
from recsight.chat.drill import gap_sentences
from recsight.chat.followups import FollowUp, read_follow_up
from recsight.chat.resolve import Vocabulary
from recsight.chat.state import Conversation, SavedQuestion, Turn
from recsight.engine import Engine
from recsight.planning.base import Plan, Planner
from semantic_layer.errors import EndpointError, PlanningError, WarehouseError

log = logging.getLogger(__name__)

LLM_ENV = "RECSIGHT_LLM_BASE_URL"
SLOW_ENV = "RECSIGHT_TEST_SLOW_QUERY"
"""Test hook: a question equal to this text runs a deliberately endless query, to test Ctrl-C."""

# A cross join DuckDB cannot finish in any reasonable time, but interrupts within milliseconds.
_ENDLESS_SQL = "SELECT count(*) FROM range(1000000000) a, range(1000000) b WHERE a.range % 7 = 3"

PLANNER_LABELS: dict[PlannerName, str] = {
    "builtin": "built-in planner",
    "llm": "LLM planner",
    "llm-sql": "LLM planner (model-written SQL)",
    "structured": "structured query",
}


def choose_planner(engine: Engine) -> tuple[Planner, str]:
    """The planner questions go to, and a line saying which it is.

    The LLM (issue 5) is reached through `recsight.planning.router`, imported only here so a chat
    without an endpoint never loads it; the router asks the built-in planner first.
    """
    from recsight.planning.builtin import BuiltinPlanner

    endpoint = os.environ.get(LLM_ENV)
    try:
        router = importlib.import_module("recsight.planning.router")
    except ModuleNotFoundError:
        note = f" ({LLM_ENV} is set, but this recsight has no LLM planner)" if endpoint else ""
        return BuiltinPlanner(), "built-in planner" + note
    try:
        planner: Planner = router.default_planner(engine)
    except EndpointError as error:
        return BuiltinPlanner(), f"built-in planner (the LLM can't be used: {error})"
    if getattr(planner, "llm", None) is None:
        return planner, f"built-in planner (set {LLM_ENV} to add an LLM)"
    return planner, f"built-in planner, then the LLM at {endpoint or 'OpenAI'} when it can't"


class Responder:
    def __init__(self, engine: Engine, as_of: date | None, planner: Planner) -> None:
        self.engine = engine
        self.as_of = as_of
        self.planner = planner
        self._vocabulary: Vocabulary | None = None

    @property
    def vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            self._vocabulary = Vocabulary(self.engine.model, self.engine.values())
        return self._vocabulary

    def respond(self, text: str, conversation: Conversation) -> Turn:
        self._slow_query_hook(text)
        previous = conversation.last_answer
        rule, rule_error = self._rule(text, previous)
        if rule and rule.kind in ("why", "compare"):
            return self.follow(rule, text, previous)
        if previous is None or previous.query is None:
            return _turn(ask(self.engine, text, as_of=self.as_of, planner=self.planner))
        try:
            plan = self._plan(text, previous)
        except PlanningError as planner_error:
            if rule:
                return self.follow(rule, text, previous)
            # Words shaped like a follow-up ("only foo") get the follow-up's sharper message.
            raise (rule_error or planner_error) from None
        if rule and not _understood(plan, previous):
            return self.follow(rule, text, previous)
        context = plan_context(self.engine, self.as_of, previous.query)
        answer = answer_plan(self.engine, plan, question=text, context=context)
        phrase = getattr(self.planner, "phrase", None)  # the LLM rewording the explanation
        return _turn(phrase(answer) if callable(phrase) else answer)

    def follow(self, rule: FollowUp, text: str, previous: Answer | None) -> Turn:
        source = f"follow-up rules ({rule.reading})"
        note = f"Built by the {source} from the last answer."
        if rule.kind == "compare" and rule.baseline is not None:
            same = previous is not None and previous.query == rule.query
            current = previous if same and previous else self._run(rule, text)
            earlier = answer_query(self.engine, rule.baseline, question=text)
            return Turn(merge(current, earlier, text), source, note)
        answer = self._run(rule, text)
        if rule.drill is not None and not answer.explanation:
            # The explainer checks segments itself; these sentences stand in when it says nothing.
            answer.explanation = gap_sentences(answer, rule.drill)
        return Turn(answer, source, note)

    def run_saved(self, saved: SavedQuestion) -> Turn:
        answer = answer_query(self.engine, saved.query, question=saved.question)
        source = f"saved question '{saved.name}'"
        return Turn(answer, source, f"Run from the {source}: {saved.question}")

    def _run(self, rule: FollowUp, text: str) -> Answer:
        return answer_query(self.engine, rule.query, question=text)

    def _rule(
        self, text: str, previous: Answer | None
    ) -> tuple[FollowUp | None, PlanningError | None]:
        if previous is None:
            return None, None
        try:
            return read_follow_up(text, previous, self.vocabulary), None
        except PlanningError as error:
            return None, error

    def _plan(self, text: str, previous: Answer) -> Plan:
        context = plan_context(self.engine, self.as_of, previous.query)
        return self.planner.plan(text, context)

    def _slow_query_hook(self, text: str) -> None:
        trigger = os.environ.get(SLOW_ENV)
        if trigger and text.strip() == trigger:
            log.warning("running the endless test query (%s is set)", SLOW_ENV)
            self.engine.warehouse.run(_ENDLESS_SQL, timeout_s=60)
            raise WarehouseError("The endless test query finished; it should have been cancelled.")


def _understood(plan: Plan, previous: Answer) -> bool:
    """Whether the planner read the text as a follow-up: same metrics, something changed."""
    before, after = previous.query, plan.query
    if before is None or after is None:
        return False
    return after.metrics == before.metrics and after != before


def _turn(answer: Answer) -> Turn:
    return Turn(answer, PLANNER_LABELS.get(answer.planner, answer.planner))
