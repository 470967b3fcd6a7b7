"""Charts follow the answer's shape: bars, grouped bars, lines, or nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from recsight.answering.answer import Answer
from recsight.answering.ask import answer_query
from recsight.answering.chart import chart_spec, render_png, terminal_chart
from recsight.engine import Engine
from semantic_layer.query import SemanticQuery

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SPAN = {"start": "2026-09-01", "end": "2026-11-30"}


def ask(engine: Engine, **query: Any) -> Answer:
    return answer_query(engine, SemanticQuery.model_validate({"time_range": SPAN, **query}))


def as_text(renderable: Any, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def by_algorithm(engine: Engine) -> Answer:
    return ask(engine, metrics=["ctr"], dimensions=["algorithm"])


def test_a_breakdown_is_a_bar_per_group_with_the_metric_as_a_percentage(
    by_algorithm: Answer,
) -> None:
    spec = chart_spec(by_algorithm)

    assert spec is not None
    assert spec["$schema"].endswith("/vega-lite/v5.json")
    assert spec["mark"] == {"type": "bar"}
    assert spec["encoding"]["y"] | {"sort": None} == {
        "field": "algorithm",
        "title": "algorithm",
        "type": "nominal",
        "sort": None,
    }
    assert spec["encoding"]["x"]["field"] == "ctr"
    assert spec["encoding"]["x"]["axis"]["format"] == ".2%"
    assert spec["data"]["values"] == [
        {"algorithm": row[0], "ctr": row[1]} for row in by_algorithm.rows
    ]
    assert by_algorithm.chart == spec


def test_two_dimensions_are_grouped_bars_coloured_by_the_second(engine: Engine) -> None:
    spec = chart_spec(ask(engine, metrics=["ctr"], dimensions=["algorithm", "customer_type"]))

    assert spec is not None
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "algorithm"
    assert spec["encoding"]["xOffset"]["field"] == "customer_type"
    assert spec["encoding"]["color"]["field"] == "customer_type"
    assert spec["encoding"]["y"]["field"] == "ctr"


def test_a_time_grain_is_a_line_coloured_by_the_second_dimension(engine: Engine) -> None:
    spec = chart_spec(ask(engine, metrics=["revenue"], dimensions=["date:week", "algorithm"]))

    assert spec is not None
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["x"] == {"field": "date_week", "title": "week", "type": "temporal"}
    assert spec["encoding"]["color"]["field"] == "algorithm"
    assert spec["encoding"]["y"]["axis"]["format"] == "$,.0f"


@pytest.mark.parametrize(
    "query",
    [
        {"metrics": ["ctr"]},
        {"metrics": ["ctr"], "dimensions": ["algorithm", "device", "customer_type"]},
        {
            "metrics": ["impressions", "clicks", "ctr", "conversions", "revenue"],
            "dimensions": ["algorithm"],
        },
    ],
    ids=["a single number", "three dimensions", "five metrics"],
)
def test_a_single_number_or_a_wide_table_gets_no_chart(
    engine: Engine, query: dict[str, Any]
) -> None:
    answer = ask(engine, **query)

    assert chart_spec(answer) is None
    assert terminal_chart(answer) is None


def test_the_chart_renders_offline_to_a_png(by_algorithm: Answer, tmp_path: Path) -> None:
    spec = chart_spec(by_algorithm)
    assert spec is not None

    written = render_png(spec, tmp_path / "ctr.png")

    data = written.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 2_000


def test_the_terminal_chart_draws_the_longest_bar_for_the_leader(by_algorithm: Answer) -> None:
    lines = as_text(terminal_chart(by_algorithm)).splitlines()
    bars = {
        row[0]: next(line for line in lines if line.startswith(f"{row[0]} ")).count("█")
        for row in by_algorithm.rows
    }
    leader = max(by_algorithm.rows, key=lambda row: row[1])[0]

    assert max(bars, key=lambda name: bars[name]) == leader
    assert min(bars.values()) > 0


def test_the_terminal_chart_of_a_trend_is_a_sparkline_per_series(engine: Engine) -> None:
    answer = ask(engine, metrics=["ctr"], dimensions=["date:week", "algorithm"])
    text = as_text(terminal_chart(answer))
    rows = [line for line in text.splitlines() if any(c in line for c in "▁▂▃▄▅▆▇█")]
    names = ["Collaborative Filtering", "Content-Based", "Neural Network"]

    assert len(rows) == 3
    assert [next(n for n in names if row.startswith(n)) for row in rows] == names
    assert all(len([c for c in row if c in "▁▂▃▄▅▆▇█"]) == 14 for row in rows)
