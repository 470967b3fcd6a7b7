"""Ask every question of the suite and judge each answer against its gold."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from recsight.answering.answer import Answer
from recsight.answering.ask import ask
from recsight.engine import Engine
from recsight.evaluation.gold import answer_table, gold_table
from recsight.evaluation.matching import Table, compare, normalize
from recsight.evaluation.planners import TimedPlanner
from recsight.evaluation.suite import Question
from recsight.planning.base import Planner
from semantic_layer.errors import UserError

log = logging.getLogger(__name__)

Status = Literal["correct", "wrong", "false_refusal", "refused", "answered", "error"]
"""correct/wrong/false_refusal for answerable questions; refused/answered for must-refuse ones;
error when recsight crashed (a bug, never a correct outcome)."""

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Outcome:
    question: Question
    status: Status
    reason: str = ""
    expected: Any = None
    got: Any = None
    plan_ms: float | None = None
    answer_ms: float | None = None
    usage: dict[str, int] | None = None

    @property
    def passed(self) -> bool:
        return self.status in ("correct", "refused")

    @property
    def wrong(self) -> bool:
        """A confident answer that is not the gold one (including answering the unanswerable)."""
        return self.status in ("wrong", "answered")


def run_suite(
    engine: Engine,
    questions: list[Question],
    planner: Planner,
    progress: Progress | None = None,
) -> list[Outcome]:
    timed = TimedPlanner(planner)
    outcomes = []
    for done, question in enumerate(questions):
        if progress:
            progress(question.id, done / len(questions))
        outcomes.append(run_question(engine, question, timed))
    if progress:
        progress("done", 1.0)
    return outcomes


def run_question(engine: Engine, question: Question, planner: TimedPlanner) -> Outcome:
    expected: Table | None = None
    if not question.refuse:
        try:
            expected = gold_table(engine, question)
        except Exception as error:  # a broken gold is the suite's bug: report it, keep going
            log.error("gold of %s failed: %s", question.id, error)
            return Outcome(question, "error", f"the gold could not be computed: {error}")

    started = time.perf_counter()
    try:
        answer = ask(engine, question.question, as_of=question.as_of, planner=planner)
    except UserError as refusal:
        timing = _timing(planner, started)
        return _refused(question, expected, refusal, timing)
    except Exception as crash:  # a bug in recsight: recorded, the run goes on
        log.exception("asking %s crashed", question.id)
        timing = _timing(planner, started)
        reason = f"crashed: {type(crash).__name__}: {crash}"
        return Outcome(question, "error", reason, _shown(expected), None, *timing)
    timing = _timing(planner, started)
    return _judged(question, expected, answer, timing)


Timing = tuple[float | None, float, dict[str, int] | None]


def _timing(planner: TimedPlanner, started: float) -> Timing:
    return planner.last_ms, (time.perf_counter() - started) * 1000, planner.last_usage


def _refused(
    question: Question, expected: Table | None, refusal: UserError, timing: Timing
) -> Outcome:
    message = f"{type(refusal).__name__}: {refusal}"
    if question.refuse:
        return Outcome(question, "refused", "", "refusal", message, *timing)
    return Outcome(question, "false_refusal", "", _shown(expected), message, *timing)


def _judged(question: Question, expected: Table | None, answer: Answer, timing: Timing) -> Outcome:
    usage = timing[2] or answer.usage
    timing = (timing[0], timing[1], usage)
    got = answer_table(answer)
    if expected is None:
        reason = f"answered a question that must be refused, as: {answer.restatement}"
        return Outcome(question, "answered", reason, "refusal", _shown(got), *timing)
    verdict = compare(expected, got, ordered=question.ordered)
    if verdict.match:
        return Outcome(question, "correct", "", _shown(expected), _shown(got), *timing)
    reason = f"{verdict.reason} (read as: {answer.restatement})"
    return Outcome(question, "wrong", reason, _shown(expected), _shown(got), *timing)


def _shown(table: Table | None, limit: int = 12) -> dict[str, Any] | None:
    """A table as JSON-ready columns and (at most `limit`) rows, for the failure list."""
    if table is None:
        return None
    rows = [[normalize(v) for v in row] for row in table.rows[:limit]]
    return {"columns": table.columns, "rows": rows, "row_count": len(table.rows)}
