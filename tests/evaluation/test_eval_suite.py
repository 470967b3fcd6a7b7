"""The eval suite's questions are sound and `recsight eval` runs end to end. The last test is the
accuracy gate the built-in planner must pass; the scorer's rules are in test_scoring.py."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from recsight.engine import Engine
from recsight.evaluation.gold import gold_table
from recsight.evaluation.suite import Question, load_suite
from semantic_layer.compiler import compile_query
from semantic_layer.errors import UserError
from semantic_layer.loader import load_model

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "eval" / "questions"
QUESTIONS = load_suite(SUITE)
HAS_BUILTIN = importlib.util.find_spec("recsight.planning.builtin") is not None
NO_PLANNER = "recsight.planning.builtin (the built-in planner, issue 3) is not in this checkout"


# The suite's files


def test_the_suite_has_enough_questions_of_each_kind() -> None:
    kinds = Counter(q.kind for q in QUESTIONS)
    assert len(QUESTIONS) >= 200
    assert kinds["refuse"] >= 30
    assert kinds["gold_sql"] >= 40


def test_question_ids_are_unique_and_every_question_is_new_text() -> None:
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)
    texts = Counter(q.question.strip().lower() for q in QUESTIONS)
    assert [t for t, n in texts.items() if n > 1] == []


def test_every_metric_and_dimension_of_the_model_is_asked_about() -> None:
    model = load_model()
    queries = [q.gold for q in QUESTIONS if q.gold]
    metrics = {m for g in queries for m in g.metrics}
    dimensions = {d.name for g in queries for d in g.dimensions}
    dimensions |= {f.dimension for g in queries for f in g.filters}
    assert set(model.metrics) - metrics == set()
    assert set(model.dimensions) - dimensions == set()


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.gold], ids=lambda q: q.id)
def test_every_gold_semantic_query_compiles(question: Question, eval_engine: Engine) -> None:
    assert question.gold is not None
    assert compile_query(eval_engine.model, question.gold).sql()


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.gold_sql], ids=lambda q: q.id)
def test_every_gold_sql_runs_on_the_pinned_warehouse_and_returns_rows(
    question: Question, eval_engine: Engine
) -> None:
    table = gold_table(eval_engine, question)
    assert table.rows, f"{question.id}: the hand-written SQL returned no rows"
    assert table.metrics >= 1, f"{question.id}: no metric column after the dimensions"


def test_a_question_with_two_kinds_of_gold_is_rejected(tmp_path: Path) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text(
        "- {id: x1, category: c, question: q, refuse: true, gold_sql: 'SELECT 1'}\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match=r"'x1' in 'bad\.yaml'.*exactly one of gold"):
        load_suite(file)


def test_an_unknown_category_is_named_with_the_closest_one() -> None:
    with pytest.raises(UserError, match="Did you mean 'rankings'"):
        load_suite(SUITE, category="ranking")


# The command, and the gate


def _run_eval(warehouse: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RECSIGHT_HOME": str(home), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "recsight.cli.main", "eval", "--warehouse", str(warehouse)]
    if "--suite" not in args:
        command += ["--suite", str(SUITE)]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=240,
    )


@pytest.mark.skipif(not HAS_BUILTIN, reason=NO_PLANNER)
def test_eval_json_reports_scores_and_latency_for_one_category(
    eval_warehouse: Path, recsight_home: Path
) -> None:
    done = _run_eval(eval_warehouse, recsight_home, "--category", "refusals", "--format", "json")
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    overall = report["overall"]
    asked = [q for q in QUESTIONS if q.category == "refusals"]
    assert overall["questions"] == len(asked)
    assert list(report["categories"]) == ["refusals"]
    assert overall["must_refuse"] == len(asked)
    assert overall["plan_ms"]["p50"] > 0
    assert overall["answer_ms"]["p99"] >= overall["answer_ms"]["p50"]
    statuses = {q["status"] for q in report["questions"]}
    assert statuses <= {"refused", "answered", "error"}


@pytest.mark.skipif(not HAS_BUILTIN, reason=NO_PLANNER)
def test_eval_exits_1_only_when_accuracy_is_below_the_minimum_asked(
    eval_warehouse: Path, recsight_home: Path, tmp_path: Path
) -> None:
    # A gold no planner can produce (an algorithm that does not exist): accuracy is 0.
    suite = tmp_path / "impossible.yaml"
    suite.write_text(
        "- id: impossible\n  category: demo\n  question: clicks by algorithm\n"
        "  gold_sql: \"SELECT 'No Such Algorithm' AS algorithm, 1 AS clicks\"\n",
        encoding="utf-8",
    )
    plain = _run_eval(eval_warehouse, recsight_home, "--suite", str(suite))
    gated = _run_eval(eval_warehouse, recsight_home, "--suite", str(suite), "--min-accuracy", "0.5")
    assert plain.returncode == 0, plain.stderr
    assert "impossible" in plain.stdout and "No Such Algorithm" in plain.stdout
    assert gated.returncode == 1
    assert "below --min-accuracy 50.0%" in gated.stderr


def test_eval_with_a_misspelt_category_prints_one_line_and_exits_2(
    eval_warehouse: Path, recsight_home: Path
) -> None:
    done = _run_eval(eval_warehouse, recsight_home, "--category", "refusal")
    assert done.returncode == 2
    assert "No eval category 'refusal'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not HAS_BUILTIN, reason=NO_PLANNER)
def test_the_builtin_planner_meets_the_accuracy_targets_on_the_whole_suite(
    eval_engine: Engine,
) -> None:
    from recsight.evaluation.planners import load_planner
    from recsight.evaluation.runner import run_suite
    from recsight.evaluation.scoring import misses, score

    outcomes = run_suite(eval_engine, QUESTIONS, load_planner("builtin"))
    missed = misses(score(outcomes))
    failures = "\n".join(
        f"{o.question.id} [{o.status}] {o.question.question} -- {o.reason or o.got}"
        for o in outcomes
        if not o.passed
    )
    assert missed == [], "; ".join(missed) + "\n" + failures
