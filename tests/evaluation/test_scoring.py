"""The scorer: when an answer's rows are the gold rows, and how outcomes become scores."""

from __future__ import annotations

from datetime import date

import pytest

from recsight.evaluation.matching import Table, compare
from recsight.evaluation.runner import Outcome, Status
from recsight.evaluation.scoring import score
from recsight.evaluation.suite import Question

# The scorer's matching rules: (expected, got, ordered, match?)

CTR = ["algorithm", "ctr"]
MATCHING: list[tuple[str, Table, Table, bool, bool]] = [
    (
        "rows in another order match when order is not part of the answer",
        Table(CTR, 1, [("A", 0.02), ("B", 0.03)]),
        Table(CTR, 1, [("B", 0.03), ("A", 0.02)]),
        False,
        True,
    ),
    (
        "rows in another order fail when order is part of the answer",
        Table(CTR, 1, [("A", 0.02), ("B", 0.03)]),
        Table(CTR, 1, [("B", 0.03), ("A", 0.02)]),
        True,
        False,
    ),
    (
        "a float within a relative 1e-6 matches",
        Table(CTR, 1, [("A", 0.0237)]),
        Table(CTR, 1, [("A", 0.0237 * (1 + 5e-7))]),
        True,
        True,
    ),
    (
        "a float off by more than 1e-6 relative does not",
        Table(CTR, 1, [("A", 0.0237)]),
        Table(CTR, 1, [("A", 0.0237 * (1 + 5e-6))]),
        True,
        False,
    ),
    (
        "metric columns match by position whatever they are called",
        Table(["category", "x"], 1, [("Shoes", 120)]),
        Table(["category", "clicks"], 1, [("Shoes", 120.0)]),
        False,
        True,
    ),
    (
        "dimension columns may come in another order",
        Table(["algorithm", "device", "ctr"], 2, [("A", "Mobile", 0.1), ("A", "Desktop", 0.2)]),
        Table(["device", "algorithm", "ctr"], 2, [("Mobile", "A", 0.1), ("Desktop", "A", 0.2)]),
        False,
        True,
    ),
    (
        "metric columns may not come in another order",
        Table(["algorithm", "clicks", "ctr"], 1, [("A", 10, 0.1)]),
        Table(["algorithm", "ctr", "clicks"], 1, [("A", 0.1, 10)]),
        False,
        False,
    ),
    (
        "an extra metric column is a different answer",
        Table(CTR, 1, [("A", 0.02)]),
        Table(["algorithm", "ctr", "clicks"], 1, [("A", 0.02, 5)]),
        False,
        False,
    ),
    (
        "a missing row is a different answer",
        Table(CTR, 1, [("A", 0.02), ("B", 0.03)]),
        Table(CTR, 1, [("A", 0.02)]),
        False,
        False,
    ),
    (
        "a repeated row counts twice, as in a multiset",
        Table(CTR, 1, [("A", 0.02), ("A", 0.02)]),
        Table(CTR, 1, [("A", 0.02), ("B", 0.02)]),
        False,
        False,
    ),
    (
        "a date and its ISO text are the same value",
        Table(["date", "clicks"], 1, [(date(2026, 11, 3), 5)]),
        Table(["date", "clicks"], 1, [("2026-11-03", 5)]),
        True,
        True,
    ),
    (
        "text values match exactly, case included",
        Table(CTR, 1, [("Shoes", 0.02)]),
        Table(CTR, 1, [("shoes", 0.02)]),
        False,
        False,
    ),
    (
        "a null matches only a null",
        Table(CTR, 1, [(None, 0.02)]),
        Table(CTR, 1, [("", 0.02)]),
        False,
        False,
    ),
]


@pytest.mark.parametrize(
    ("expected", "got", "ordered", "match"),
    [case[1:] for case in MATCHING],
    ids=[case[0] for case in MATCHING],
)
def test_the_scorer_matches_rows_by_its_rules(
    expected: Table, got: Table, ordered: bool, match: bool
) -> None:
    assert compare(expected, got, ordered=ordered).match is match


def test_a_mismatch_says_which_row_differs() -> None:
    verdict = compare(
        Table(CTR, 1, [("A", 0.02), ("B", 0.03)]),
        Table(CTR, 1, [("A", 0.02), ("B", 0.04)]),
        ordered=True,
    )
    assert verdict.reason == "row 2: expected ['B', 0.03], got ['B', 0.04]"


def _outcome(status: Status, refuse: bool = False, answer_ms: float = 10.0) -> Outcome:
    gold = {"refuse": True} if refuse else {"gold_sql": "SELECT 1 AS clicks"}
    question = Question.model_validate({"id": status, "category": "c", "question": "q", **gold})
    return Outcome(question, status, plan_ms=1.0, answer_ms=answer_ms)


def test_answering_a_question_that_must_be_refused_counts_as_a_wrong_answer() -> None:
    outcomes = [
        _outcome("correct"),
        _outcome("false_refusal"),
        _outcome("wrong"),
        _outcome("refused", refuse=True),
        _outcome("answered", refuse=True),
    ]
    result = score(outcomes)
    assert (result.execution_accuracy, result.refusal_accuracy) == (1 / 3, 1 / 2)
    assert (result.wrong, result.wrong_rate, result.false_refusals) == (2, 2 / 5, 1)


def test_latency_percentiles_interpolate_between_the_closest_samples() -> None:
    result = score([_outcome("correct", answer_ms=float(ms)) for ms in range(1, 102)])
    assert (result.answer_ms.p50, result.answer_ms.p95, result.answer_ms.p99) == (51, 96, 100)
