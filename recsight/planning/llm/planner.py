"""The LLM planner: the model fills a semantic query; recsight validates it and, when it can't
run, tells the model why and what would be valid, for a bounded number of repair rounds.

When the semantic layer can't express a question the model may write SQL instead; that SQL must
pass the SQL guard before it becomes a plan, and the answer says it came from model-written SQL.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from recsight.answering.answer import Answer
from recsight.planning.base import Plan, PlanContext
from recsight.planning.llm import schema
from recsight.planning.llm.catalog import render_catalog, render_tables
from recsight.planning.llm.client import LlmClient, Message, Usage
from recsight.planning.llm.config import LlmSettings
from recsight.planning.llm.dialogue import LADDER, Dialogue, Mode
from recsight.planning.llm.failures import RequestRejected
from recsight.planning.llm.lookups import Lookup, values_reply
from recsight.planning.llm.phrasing import phrased
from recsight.planning.llm.prompts import PromptSet, load_prompts
from recsight.planning.llm.replies import Action
from recsight.planning.llm.validate import Invalid, checked_query
from semantic_layer.errors import EndpointError, GuardError, PlanningError

log = logging.getLogger(__name__)

SQL_ROW_CAP = 10_000

# The best mode each endpoint and model took, so a chat session steps down only once.
_known_modes: dict[tuple[str, str], Mode] = {}


class _StepDown(Exception):
    """This endpoint refused or ignored the current output mode."""


@dataclass
class _Budget:
    repairs: int = 0
    lookups: int = 0
    last_problem: str = ""


class LlmPlanner:
    name = "llm"

    def __init__(
        self,
        settings: LlmSettings,
        *,
        lookup: Lookup | None = None,
        client: LlmClient | None = None,
    ) -> None:
        self.settings = settings
        self._lookup = lookup
        self._client = client

    @property
    def client(self) -> LlmClient:
        if self._client is None:
            self._client = LlmClient(self.settings)
        return self._client

    def plan(self, question: str, context: PlanContext) -> Plan:
        """A validated plan, or PlanningError / EndpointError saying why there is none."""
        prompts = load_prompts("planner", self.settings.prompt_version)
        try:
            plan = self._plan_in_best_mode(question, context, prompts)
        finally:
            spent = self.client.take_usage()
            log.info("planning used %d tokens in %d requests", spent.total_tokens, spent.requests)
        plan.usage = spent.as_dict()
        return plan

    def _plan_in_best_mode(self, question: str, context: PlanContext, prompts: PromptSet) -> Plan:
        modes = self._modes()
        for index, mode in enumerate(modes):
            last = index == len(modes) - 1
            try:
                plan = self._converse(mode, question, context, prompts, can_step_down=not last)
            except _StepDown as reason:
                log.info("LLM endpoint: %s; trying output mode %s", reason, modes[index + 1])
                continue
            _known_modes[self._key()] = mode
            return plan
        raise AssertionError("unreachable: the last mode never steps down")

    def phrase(self, answer: Answer) -> Answer:
        """The answer with an LLM-phrased explanation when it passes the grounding check."""
        if not self.settings.phrasing or not answer.explanation:
            return answer
        try:
            sentences = phrased(self.client, answer, self.settings.prompt_version)
        except EndpointError as failure:
            log.warning("explanation not phrased: %s", failure.message)
            sentences = None
        spent = self.client.take_usage()
        if spent.requests:
            usage = Usage.from_dict(answer.usage)
            usage.add(spent)
            answer = answer.model_copy(update={"usage": usage.as_dict()})
        return answer.model_copy(update={"explanation": sentences}) if sentences else answer

    def _modes(self) -> list[Mode]:
        if self.settings.output != "auto":
            return [Mode(self.settings.output)]
        start = LADDER.index(_known_modes.get(self._key(), LADDER[0]))
        return LADDER[start:]

    def _key(self) -> tuple[str, str]:
        return (self.settings.base_url, self.settings.model)

    def _converse(
        self,
        mode: Mode,
        question: str,
        context: PlanContext,
        prompts: PromptSet,
        *,
        can_step_down: bool,
    ) -> Plan:
        dialogue = Dialogue(
            self.client,
            mode,
            self._opening(mode, question, context, prompts),
            tools=schema.tools(
                context.model, prompts.table("tools"), allow_sql=self.settings.sql_fallback
            ),
            reply_schema=schema.reply_schema(context.model, self.settings.sql_fallback),
        )
        budget = _Budget()
        while True:
            try:
                actions = dialogue.ask()
            except RequestRejected as rejected:
                if can_step_down and dialogue.turns == 0:
                    raise _StepDown(f"{mode} refused ({rejected.detail})") from None
                raise
            if can_step_down and _ignored_tools(mode, dialogue.turns, actions):
                raise _StepDown("the model answered without calling a tool")
            settled = self._settle(actions, context, prompts, mode, budget)
            if isinstance(settled, Plan):
                return settled
            dialogue.answer(settled)

    def _opening(
        self, mode: Mode, question: str, context: PlanContext, prompts: PromptSet
    ) -> list[Message]:
        data = context.data_range
        sql_rule = (
            prompts.render("sql_rule", tables=render_tables(context.model))
            if self.settings.sql_fallback
            else ""
        )
        previous = (
            prompts.render("previous", query=_query_json(context.previous))
            if context.previous
            else ""
        )
        user = prompts.render(
            "user",
            catalog=render_catalog(context.model, context.values),
            today=context.as_of.isoformat(),
            data_start=data.start.isoformat() if data else "an unknown day",
            data_end=data.end.isoformat() if data else "an unknown day",
            time_dimension=context.model.time_dimension,
            sql_rule=sql_rule + "\n" if sql_rule else "",
            previous=previous + "\n" if previous else "",
            question=question.strip(),
            reply_format=_reply_format(mode, prompts),
        )
        return [
            {"role": "system", "content": prompts.render("system")},
            {"role": "user", "content": user},
        ]

    def _settle(
        self,
        actions: list[Action],
        context: PlanContext,
        prompts: PromptSet,
        mode: Mode,
        budget: _Budget,
    ) -> Plan | list[tuple[Action, str]]:
        """A plan from the first usable action, or the feedback for every action."""
        feedback: list[tuple[Action, str]] = []
        for action in actions:
            if action.kind == "cannot_answer":
                raise _refusal(action, context)
            if action.kind == "values":
                reply = values_reply(action.data, context, prompts, self._lookup)
                feedback.append((action, reply))
                continue
            plan_or_problem = self._proposal(action, context, prompts, mode)
            if isinstance(plan_or_problem, Plan):
                return plan_or_problem
            budget.last_problem = action.problem or plan_or_problem
            feedback.append((action, plan_or_problem))
        self._spend(feedback, budget, prompts)
        return feedback

    def _proposal(
        self, action: Action, context: PlanContext, prompts: PromptSet, mode: Mode
    ) -> Plan | str:
        """A plan for a query or SQL action, or the message explaining why it can't be one."""
        if action.kind == "query":
            try:
                query = checked_query(action.data, context)
            except Invalid as problem:
                return prompts.message("feedback", "invalid_query", problem=problem)
            return Plan(query=query, planner="llm", notes=[self._note("llm")], confidence=1.0)
        if action.kind == "sql":
            if not self.settings.sql_fallback:
                return prompts.message("feedback", "sql_off")
            return self._sql_plan(action, context, prompts)
        if mode == Mode.tools and action.call_id is None:
            return prompts.message("feedback", "no_tool")
        return prompts.message(
            "feedback",
            "malformed",
            problem=action.problem,
            reply_format=_reply_format(mode, prompts),
        )

    def _sql_plan(self, action: Action, context: PlanContext, prompts: PromptSet) -> Plan | str:
        from recsight.guard import check_sql

        sql = action.data.get("sql")
        if not isinstance(sql, str) or not sql.strip():
            return prompts.message("feedback", "sql_refused", problem="the 'sql' text is missing.")
        try:
            guarded = check_sql(sql, context.model, dialect="duckdb", row_cap=SQL_ROW_CAP)
        except GuardError as refusal:
            log.info("SQL guard refused the model's SQL: %s", refusal)
            return prompts.message("feedback", "sql_refused", problem=refusal)
        reason = str(action.data.get("reason") or "").strip()
        notes = [self._note("llm-sql")] + ([f"Why SQL: {reason[:300]}"] if reason else [])
        return Plan(query=None, sql=guarded.sql, planner="llm-sql", notes=notes, confidence=1.0)

    def _spend(
        self, feedback: list[tuple[Action, str]], budget: _Budget, prompts: PromptSet
    ) -> None:
        """Count this round against the lookups or the repairs; stop when either runs out."""
        if all(action.kind == "values" for action, _ in feedback):
            budget.lookups += 1
            if budget.lookups <= self.settings.value_lookups:
                return
            feedback[:] = [
                (a, prompts.message("feedback", "too_many_lookups")) for a, _ in feedback
            ]
            budget.last_problem = budget.last_problem or "it kept looking up values"
        budget.repairs += 1
        if budget.repairs > self.settings.repair_rounds:
            raise PlanningError(
                f"The LLM's reading of the question did not validate after "
                f"{self.settings.repair_rounds + 1} attempts. Last problem: "
                f"{_short(budget.last_problem)}",
                hint="Rephrase the question with the metric and dimension names "
                "`recsight metrics` and `recsight dimensions` list.",
            )

    def _note(self, planner: str) -> str:
        model = self.settings.model
        if planner == "llm-sql":
            return (
                f"Computed by SQL that the LLM ({model}) wrote, because the semantic layer could "
                "not express the question; the SQL guard checked it, but the metric definitions "
                "did not shape it. Read the SQL before relying on the number."
            )
        return f"Read by the LLM ({model}); check that the restatement is what you meant."


def _ignored_tools(mode: Mode, turns: int, actions: list[Action]) -> bool:
    """A first reply in tools mode with no tool call and no readable JSON: tools were ignored."""
    return (
        mode == Mode.tools
        and turns == 1
        and all(a.call_id is None and a.kind == "malformed" for a in actions)
    )


def _reply_format(mode: Mode, prompts: PromptSet) -> str:
    return prompts.render("reply_tools" if mode == Mode.tools else "reply_json")


def _refusal(action: Action, context: PlanContext) -> PlanningError:
    reason = _short(str(action.data.get("reason") or "no reason given"))
    metrics = ", ".join(sorted(context.model.metrics))
    return PlanningError(
        f"The question can't be answered from this warehouse (the LLM says: {reason}).",
        hint=f"Metrics you can ask about: {metrics}.",
    )


def _query_json(query: object) -> str:
    dump = getattr(query, "model_dump", None)
    data = dump(mode="json", exclude_defaults=True) if dump else query
    return json.dumps(data, ensure_ascii=False)


def _short(text: object, limit: int = 300) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
