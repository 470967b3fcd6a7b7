"""How an answer looks in the chat: restatement, table, terminal chart, explanation, caveats."""

from __future__ import annotations

import logging
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from recsight.answering.answer import Answer
from recsight.answering.formatting import format_value
from recsight.chat.state import Turn

log = logging.getLogger(__name__)

MAX_ROWS = 25
"""Rows shown on screen; more are cut with a note pointing at /export."""


def show_turn(console: Console, turn: Turn) -> None:
    """The answer as every front end shows it, plus what only the chat knows: who built it."""
    try:
        from recsight.answering.render import render_rich
    except ImportError:  # TODO(answering): drop this fallback once render.py is on main
        _show_locally(console, turn)
        return
    console.print(render_rich(turn.answer))
    if len(turn.answer.rows) > MAX_ROWS:
        console.print("[dim]/export csv PATH writes every row.[/dim]")
    if turn.note:
        console.print(f"[dim]{escape(turn.note)}[/dim]")


def _show_locally(console: Console, turn: Turn) -> None:
    answer = turn.answer
    console.print(Text(answer.restatement, style="bold"))
    console.print(answer_table(answer))
    if len(answer.rows) > MAX_ROWS:
        console.print(
            f"[yellow]Showing {MAX_ROWS} of {len(answer.rows):,} rows; "
            "/export csv PATH writes them all.[/yellow]"
        )
    if answer.truncated:
        console.print(
            "[yellow]The warehouse returned more rows than the cap; add a filter.[/yellow]"
        )
    chart = terminal_chart(answer, console.width)
    if chart is not None:
        console.print(chart)
    for sentence in answer.explanation:
        console.print(f"• {escape(sentence)}", soft_wrap=True)
    for caveat in answer.caveats:
        console.print(f"[yellow]! {escape(caveat)}[/yellow]", soft_wrap=True)
    who = "a structured query" if answer.planner == "structured" else f"the {turn.source}"
    console.print(f"[dim]Answered by {escape(who)} in {answer.elapsed_ms:,.0f} ms.[/dim]")
    if turn.note:
        console.print(f"[dim]{escape(turn.note)}[/dim]")


def answer_table(answer: Answer, limit: int = MAX_ROWS) -> Table:
    table = Table(header_style="bold", show_edge=True)
    metrics = set(answer.metric_columns())
    for column in answer.columns:
        table.add_column(column, justify="right" if column in metrics else "left")
    for row in answer.rows[:limit]:
        table.add_row(*(_cell(answer, c, v) for c, v in zip(answer.columns, row, strict=True)))
    if not answer.rows:
        table.caption = "No rows."
    return table


def _cell(answer: Answer, column: str, value: Any) -> str:
    return format_value(value, answer.units.get(column))  # type: ignore[arg-type]


def terminal_chart(answer: Answer, width: int) -> RenderableType | None:
    """The answering package's terminal chart when it has one, else a bar per row."""
    try:
        from recsight.answering import chart
    except ImportError:  # pragma: no cover - chart.py is part of the package
        return None
    drawn = getattr(chart, "terminal_chart", None)
    if drawn is not None:
        try:
            result = drawn(answer, width=width)
        except TypeError:
            result = drawn(answer)
        return result if result else None
    return _bars(answer, width)


def _bars(answer: Answer, width: int) -> RenderableType | None:
    """Bars of the first metric for a breakdown of a few groups (no trend: the table says that)."""
    dims, metrics = answer.dimension_columns(), answer.metric_columns()
    if len(dims) != 1 or not metrics or not 2 <= len(answer.rows) <= 12:
        return None
    label_at, value_at = answer.columns.index(dims[0]), answer.columns.index(metrics[0])
    pairs = [(str(r[label_at]), r[value_at]) for r in answer.rows]
    numbers = [v for _, v in pairs if isinstance(v, int | float)]
    if not numbers or min(numbers) < 0 or max(numbers) == 0:
        return None
    name_width = min(24, max(len(n) for n, _ in pairs))
    room = max(10, min(50, width - name_width - 16))
    lines = [Text(f"{metrics[0]}", style="dim")]
    for name, value in pairs:
        size = round(room * value / max(numbers)) if isinstance(value, int | float) else 0
        shown = format_value(value, answer.units.get(metrics[0]))  # type: ignore[arg-type]
        line = Text(f"{name[:name_width]:<{name_width}} ")
        line.append("█" * size, style="cyan")
        line.append(f" {shown}")
        lines.append(line)
    return Group(*lines)
