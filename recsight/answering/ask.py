"""From a question (or a structured query) to an Answer: plan, compile, run, explain, chart."""

from __future__ import annotations

import logging
import time
from datetime import date, timedelta

from recsight.answering.answer import Answer, PlannerName
from recsight.answering.chart import chart_spec
from recsight.answering.explain import explain
from recsight.answering.formatting import plain_rows
from recsight.answering.restate import restate
from recsight.engine import Engine
from recsight.planning.base import Plan, PlanContext, Planner
from semantic_layer.query import SemanticQuery, TimeRange

log = logging.getLogger(__name__)


def plan_context(
    engine: Engine, as_of: date | None = None, previous: SemanticQuery | None = None
) -> PlanContext:
    data_range = data_time_range(engine)
    today = as_of or date.today()
    return PlanContext(engine.model, engine.values(), today, data_range, previous)


def data_time_range(engine: Engine) -> TimeRange | None:
    span = engine.warehouse.data_range()
    return TimeRange(start=span[0], end=span[1]) if span else None


def ask(
    engine: Engine,
    question: str,
    *,
    as_of: date | None = None,
    previous: Answer | None = None,
    planner: Planner | None = None,
) -> Answer:
    """Answer a plain-English question; raises PlanningError when it can't be read safely.

    With no planner given, the built-in planner reads it, and an LLM too when one is configured
    (see `recsight.planning.router`).
    """
    from recsight.planning.router import default_planner, phrase

    started = time.perf_counter()
    context = plan_context(engine, as_of, previous.query if previous else None)
    chosen = planner or default_planner(engine)
    plan = chosen.plan(question, context)
    log.info("planned %r with %s", question, plan.planner)
    answer = answer_plan(engine, plan, question=question, context=context)
    answer = phrase(chosen, answer)
    answer.elapsed_ms = (time.perf_counter() - started) * 1000
    return answer


def answer_query(
    engine: Engine, query: SemanticQuery, *, question: str = "", planner: PlannerName = "structured"
) -> Answer:
    """The structured path (`recsight query`, MCP `query_metrics`) as a full Answer."""
    return answer_plan(
        engine, Plan(query=query, planner=planner), question=question, context=plan_context(engine)
    )


def answer_plan(engine: Engine, plan: Plan, *, question: str, context: PlanContext) -> Answer:
    if plan.query is None:
        from recsight.answering.sql_answer import answer_sql

        return answer_sql(engine, plan, question=question, context=context)
    started = time.perf_counter()
    outcome = engine.query(plan.query)
    result = outcome.result
    columns = outcome.compiled.columns
    story = explain(engine, outcome)
    answer = Answer(
        question=question,
        restatement=restate(engine.model, plan.query),
        query=plan.query,
        sql=outcome.sql,
        columns=result.columns,
        units={c.name: c.unit for c in columns if c.unit},
        kinds={c.name: c.kind for c in columns},
        rows=plain_rows(result.rows),
        truncated=result.truncated,
        explanation=story.sentences,
        caveats=[*plan.notes, *story.caveats],
        time_range=plan.query.time_range,
        data_range=context.data_range,
        planner=plan.planner,
        ignored_words=plan.ignored_words,
        usage=plan.usage,
        facts=story.facts,
    )
    if not result.rows:
        answer.caveats.append(_empty_note(plan.query, context.data_range))
    answer.chart = chart_spec(answer)
    answer.elapsed_ms = (time.perf_counter() - started) * 1000
    return answer


def _empty_note(query: SemanticQuery, data: TimeRange | None) -> str:
    asked = query.time_range
    if data and asked and (asked.end < data.start or asked.start > data.end):
        return (
            f"No data in {asked.start} to {asked.end}: the warehouse covers {data.start} to "
            f"{data.end}."
        )
    if data:
        return (
            f"No rows matched. The warehouse covers {data.start} to {data.end}; check the filters."
        )
    return "No rows matched the filters and time range."


def default_as_of(context: PlanContext) -> date:
    """Relative ranges count back from today, or from the data's last day plus one if older."""
    if context.data_range and context.data_range.end < context.as_of - timedelta(days=1):
        return context.data_range.end + timedelta(days=1)
    return context.as_of
