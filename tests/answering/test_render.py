"""An answer reads the same in a terminal, in markdown and as JSON."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from rich.console import Console

from recsight.answering.answer import Answer
from recsight.answering.ask import answer_query
from recsight.answering.formatting import format_value
from recsight.answering.render import render_json, render_markdown, render_rich
from recsight.engine import Engine
from semantic_layer.query import SemanticQuery

NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


def as_text(answer: Answer, width: int = 120, **options: Any) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(render_rich(answer, **options))
    return console.file.getvalue()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def answer(engine: Engine) -> Answer:
    query = SemanticQuery.model_validate(
        {"metrics": ["ctr", "revenue"], "dimensions": ["algorithm"], "time_range": NOVEMBER}
    )
    return answer_query(engine, query, question="CTR and revenue by algorithm in November")


def test_the_terminal_view_shows_the_restatement_and_formatted_values(answer: Answer) -> None:
    text = as_text(answer)

    assert text.splitlines()[0] == "CTR and revenue by algorithm, 1–30 Nov 2026"
    for algorithm, ctr, revenue in answer.rows:
        line = next(line for line in text.splitlines() if line.startswith(f"│ {algorithm}"))
        assert format_value(ctr, "percent") in line
        assert format_value(revenue, "currency") in line
    assert "█" in text


def test_the_terminal_view_lists_the_explanation_caveats_and_context(answer: Answer) -> None:
    text = " ".join(as_text(answer, width=400).split())

    for sentence in answer.explanation:
        assert f"• {sentence}" in text
    assert (
        "Answered by a structured query · time range 1–30 Nov 2026 (2026-11-01 to 2026-11-30)"
        in text
    )
    assert "data covers 2026-09-01 to 2026-11-30" in text
    assert "WITH " not in text
    assert "WITH " in as_text(answer, show_sql=True)


def test_a_long_table_is_cut_with_a_note(engine: Engine) -> None:
    query = SemanticQuery.model_validate({"metrics": ["clicks"], "dimensions": ["date"]})
    daily = answer_query(engine, query)
    text = as_text(daily, max_rows=10)

    assert "Showing the first 10 of 91 rows." in text
    assert daily.rows[9][0] in text and daily.rows[10][0] not in text


def test_markdown_has_the_table_the_bullets_and_the_sql(answer: Answer) -> None:
    text = render_markdown(answer)

    assert text.startswith("**CTR and revenue by algorithm, 1–30 Nov 2026**\n\n| algorithm |")
    for algorithm, ctr, _ in answer.rows:
        assert f"| {algorithm} | {format_value(ctr, 'percent')} |" in text
    assert f"- {answer.explanation[0]}" in text
    assert "```sql\nWITH" in text
    assert "```sql" not in render_markdown(answer, show_sql=False)


def test_json_carries_the_whole_answer_and_round_trips(answer: Answer) -> None:
    data = json.loads(render_json(answer))

    assert {"question", "query", "sql", "columns", "rows", "explanation"} <= set(data)
    assert data["question"] == "CTR and revenue by algorithm in November"
    assert data["columns"] == ["algorithm", "ctr", "revenue"]
    assert data["query"]["time_range"] == NOVEMBER
    assert data["facts"]["leader"] == answer.explanation[0].split(" leads")[0]
    assert Answer.model_validate(data) == answer
