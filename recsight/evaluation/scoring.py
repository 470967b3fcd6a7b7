"""From outcomes to scores: accuracies, wrong answers, false refusals, latency percentiles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from recsight.evaluation.runner import Outcome

TARGETS = {"execution_accuracy": 0.95, "refusal_accuracy": 0.95, "wrong_rate": 0.02}
"""Issue 3's targets: at least 95% right, 95% of refusals right, at most 2% wrong answers."""


@dataclass(frozen=True)
class Latency:
    p50: float | None
    p95: float | None
    p99: float | None


@dataclass(frozen=True)
class Score:
    questions: int
    answerable: int
    correct: int
    must_refuse: int
    refused: int
    wrong: int
    false_refusals: int
    errors: int
    execution_accuracy: float | None
    """Answerable questions whose answer rows match the gold, over answerable questions."""
    refusal_accuracy: float | None
    """Must-refuse questions that were refused, over must-refuse questions."""
    wrong_rate: float | None
    """Confident answers that are not the gold one, over all questions."""
    plan_ms: Latency
    answer_ms: Latency
    tokens_per_question: float | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def score(outcomes: Sequence[Outcome]) -> Score:
    answerable = [o for o in outcomes if not o.question.refuse]
    must_refuse = [o for o in outcomes if o.question.refuse]
    correct = sum(o.status == "correct" for o in answerable)
    refused = sum(o.status == "refused" for o in must_refuse)
    wrong = sum(o.wrong for o in outcomes)
    tokens = [_tokens(o.usage) for o in outcomes if o.usage]
    return Score(
        questions=len(outcomes),
        answerable=len(answerable),
        correct=correct,
        must_refuse=len(must_refuse),
        refused=refused,
        wrong=wrong,
        false_refusals=sum(o.status == "false_refusal" for o in answerable),
        errors=sum(o.status == "error" for o in outcomes),
        execution_accuracy=_ratio(correct, len(answerable)),
        refusal_accuracy=_ratio(refused, len(must_refuse)),
        wrong_rate=_ratio(wrong, len(outcomes)),
        plan_ms=latency([o.plan_ms for o in outcomes if o.plan_ms is not None]),
        answer_ms=latency([o.answer_ms for o in outcomes if o.answer_ms is not None]),
        tokens_per_question=sum(tokens) / len(tokens) if tokens else None,
    )


def score_by_category(outcomes: Sequence[Outcome]) -> dict[str, Score]:
    names = list(dict.fromkeys(o.question.category for o in outcomes))
    return {n: score([o for o in outcomes if o.question.category == n]) for n in names}


def misses(overall: Score) -> list[str]:
    """The targets this score misses, as sentences; empty when every target is met."""
    found = []
    for name, target in TARGETS.items():
        value = getattr(overall, name)
        if value is None:
            continue
        failed = value > target if name == "wrong_rate" else value < target
        if failed:
            bound = "at most" if name == "wrong_rate" else "at least"
            found.append(f"{name.replace('_', ' ')} {value:.1%} (target: {bound} {target:.0%})")
    return found


def latency(samples: Sequence[float]) -> Latency:
    ordered = sorted(samples)
    return Latency(percentile(ordered, 50), percentile(ordered, 95), percentile(ordered, 99))


def percentile(ordered: Sequence[float], pct: float) -> float | None:
    """Linear interpolation between the closest ranks of sorted samples."""
    if not ordered:
        return None
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _tokens(usage: dict[str, int] | None) -> int:
    """Total tokens of one question, from whichever keys the endpoint reported."""
    if not usage:
        return 0
    if "total_tokens" in usage:
        return usage["total_tokens"]
    return usage.get("prompt_tokens", 0) + usage.get("completion_tokens", 0)
