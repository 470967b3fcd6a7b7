"""The eval report: one JSON document, and the same as rich tables for people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from recsight.evaluation.runner import Outcome
from recsight.evaluation.scoring import TARGETS, Latency, Score, misses, score, score_by_category

_STATUS_LABELS = {
    "wrong": "wrong answer",
    "answered": "answered (should refuse)",
    "false_refusal": "false refusal",
    "error": "error",
}


@dataclass(frozen=True)
class Report:
    suite: str
    planner: str
    warehouse: str
    pinned: bool
    outcomes: list[Outcome]

    @property
    def overall(self) -> Score:
        return score(self.outcomes)

    def as_dict(self) -> dict[str, Any]:
        overall = self.overall
        return {
            "suite": self.suite,
            "planner": self.planner,
            "warehouse": self.warehouse,
            "pinned_warehouse": self.pinned,
            "targets": TARGETS,
            "meets_targets": not misses(overall),
            "misses": misses(overall),
            "overall": overall.as_dict(),
            "categories": {n: s.as_dict() for n, s in score_by_category(self.outcomes).items()},
            "failures": [_failure(o) for o in self.outcomes if not o.passed],
            "questions": [_question(o) for o in self.outcomes],
        }


def _failure(outcome: Outcome) -> dict[str, Any]:
    question = outcome.question
    return {
        "id": question.id,
        "category": question.category,
        "question": question.question,
        "as_of": question.as_of.isoformat(),
        "status": outcome.status,
        "reason": outcome.reason,
        "expected": outcome.expected,
        "got": outcome.got,
    }


def _question(outcome: Outcome) -> dict[str, Any]:
    return {
        "id": outcome.question.id,
        "category": outcome.question.category,
        "status": outcome.status,
        "plan_ms": outcome.plan_ms,
        "answer_ms": outcome.answer_ms,
        "usage": outcome.usage,
    }


def render(report: Report, console: Console) -> None:
    """The score table, whether the targets are met, then every failure."""
    by_category = score_by_category(report.outcomes)
    overall = report.overall
    with_tokens = overall.tokens_per_question is not None
    table = _score_table(with_tokens)
    for name, category_score in by_category.items():
        table.add_row(*_score_cells(escape(name), category_score, with_tokens))
    table.add_section()
    table.add_row(*_score_cells("[bold]overall[/bold]", overall, with_tokens))
    console.print(table)

    missed = misses(overall)
    if missed:
        console.print(f"[red]Targets missed:[/red] {escape('; '.join(missed))}.")
    else:
        console.print(
            "[green]Every target met[/green] (execution and refusal accuracy >= 95%, "
            "wrong answers <= 2%)."
        )
    failures = [o for o in report.outcomes if not o.passed]
    if failures:
        console.print(f"\n[bold]{len(failures)} failure(s)[/bold]")
    for outcome in failures:
        _render_failure(outcome, console)


def _score_table(with_tokens: bool) -> Table:
    table = Table(title="recsight eval", title_justify="left", header_style="bold")
    for name in ("Category", "Qs", "Exec acc", "Refusals", "Wrong", "False ref.", "Errors"):
        table.add_column(name, justify="left" if name == "Category" else "right")
    table.add_column("Plan ms p50/p95/p99", justify="right")
    table.add_column("Answer ms p50/p95/p99", justify="right")
    if with_tokens:
        table.add_column("Tokens/q", justify="right")
    return table


def _score_cells(name: str, s: Score, with_tokens: bool) -> list[str]:
    cells = [
        name,
        str(s.questions),
        _fraction(s.correct, s.answerable, s.execution_accuracy),
        _fraction(s.refused, s.must_refuse, s.refusal_accuracy),
        _fraction(s.wrong, s.questions, s.wrong_rate),
        str(s.false_refusals),
        str(s.errors),
        _latency(s.plan_ms),
        _latency(s.answer_ms),
    ]
    if with_tokens:
        cells.append("–" if s.tokens_per_question is None else f"{s.tokens_per_question:,.0f}")
    return cells


def _fraction(part: int, whole: int, rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.1%} ({part}/{whole})"


def _latency(value: Latency) -> str:
    parts = (value.p50, value.p95, value.p99)
    return "/".join("–" if p is None else f"{p:.1f}" for p in parts)


def _render_failure(outcome: Outcome, console: Console) -> None:
    question = outcome.question
    label = _STATUS_LABELS.get(outcome.status, outcome.status)
    console.print(
        f"[bold]{escape(question.id)}[/bold] [dim]({escape(question.category)})[/dim] "
        f"[red]{label}[/red]: {escape(question.question)}"
    )
    console.print(f"  expected: {escape(_brief(outcome.expected))}", soft_wrap=True)
    console.print(f"  got:      {escape(_brief(outcome.got))}", soft_wrap=True)
    if outcome.reason:
        console.print(f"  [dim]{escape(outcome.reason)}[/dim]", soft_wrap=True)


def _brief(shown: Any, rows: int = 4) -> str:
    if shown is None:
        return "–"
    if isinstance(shown, str):
        return shown
    head = shown["rows"][:rows]
    more = shown["row_count"] - len(head)
    text = f"{shown['columns']} {head}"
    return text + (f" ... {more} more row(s)" if more > 0 else "")
