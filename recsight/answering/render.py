"""An Answer as people read it (rich text, markdown) and as programs read it (JSON).

Every front end (the CLI, the chat, Slack, MCP) renders through here, so nothing in this module
knows about flags, terminals or exit codes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from recsight.answering.answer import Answer
from recsight.answering.formatting import format_value, to_markdown
from recsight.answering.restate import time_range_label
from semantic_layer.spec import Unit

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table

MAX_TABLE_ROWS = 25
PLANNERS = {
    "builtin": "the built-in planner",
    "llm": "the LLM planner",
    "llm-sql": "SQL written by the LLM",
    "structured": "a structured query",
}


def formatted_rows(answer: Answer, limit: int | None = None) -> list[list[str]]:
    """Rows as display text: rates as percentages, currency with $, missing values as –."""
    units = [cast("Unit | None", answer.units.get(c)) for c in answer.columns]
    rows = answer.rows if limit is None else answer.rows[:limit]
    return [[format_value(v, u) for v, u in zip(row, units, strict=True)] for row in rows]


def row_notes(answer: Answer, shown: int) -> list[str]:
    """Why the table holds fewer rows than the answer, if it does."""
    notes = []
    if len(answer.rows) > shown:
        notes.append(f"Showing the first {shown:,} of {len(answer.rows):,} rows.")
    if answer.truncated:
        notes.append(
            f"The warehouse returned only the first {len(answer.rows):,} rows; narrow the "
            "question (a filter, a shorter time range, a top N) to see everything."
        )
    return notes


def context_line(answer: Answer) -> str:
    """Who answered, over which days, and how long it took."""
    parts = [f"Answered by {PLANNERS.get(answer.planner, answer.planner)}"]
    if answer.time_range is not None:
        span = answer.time_range
        parts.append(f"time range {time_range_label(span)} ({span.start} to {span.end})")
    else:
        parts.append("time range: all dates")
    if answer.data_range is not None:
        parts.append(f"data covers {answer.data_range.start} to {answer.data_range.end}")
    if answer.ignored_words:
        parts.append("ignored: " + ", ".join(f"'{w}'" for w in answer.ignored_words))
    if answer.elapsed_ms:
        parts.append(f"{answer.elapsed_ms:,.0f} ms")
    return " · ".join(parts)


def render_json(answer: Answer, indent: int | None = 2) -> str:
    return json.dumps(answer.model_dump(mode="json"), indent=indent)


def render_markdown(
    answer: Answer, *, show_sql: bool = True, max_rows: int = MAX_TABLE_ROWS
) -> str:
    blocks = [f"**{answer.restatement}**"]
    if answer.columns:
        blocks.append(to_markdown(answer.columns, formatted_rows(answer, max_rows)))
    notes = row_notes(answer, min(max_rows, len(answer.rows)))
    if notes:
        blocks.append(" ".join(f"_{note}_" for note in notes))
    if answer.explanation:
        blocks.append("\n".join(f"- {sentence}" for sentence in answer.explanation))
    if answer.caveats:
        blocks.extend(f"> ⚠ {caveat}" for caveat in answer.caveats)
    blocks.append(f"_{context_line(answer)}_")
    if show_sql and answer.sql:
        blocks.append(f"```sql\n{answer.sql}\n```")
    return "\n\n".join(blocks) + "\n"


def render_rich(
    answer: Answer,
    *,
    show_sql: bool = False,
    max_rows: int = MAX_TABLE_ROWS,
    chart: bool = True,
) -> RenderableType:
    """The answer for a terminal: restatement, table, chart, explanation, caveats, context."""
    from rich.console import Group
    from rich.text import Text

    from recsight.answering.chart import terminal_chart

    parts: list[Any] = [Text(answer.restatement, style="bold")]
    if answer.columns:
        parts.append(result_table(answer, max_rows))
    for note in row_notes(answer, min(max_rows, len(answer.rows))):
        parts.append(Text(note, style="yellow"))
    drawn = terminal_chart(answer) if chart else None
    if drawn is not None:
        parts += [Text(""), drawn]
    if answer.explanation:
        parts.append(Text(""))
        parts.extend(Text.assemble(("• ", "bold"), sentence) for sentence in answer.explanation)
    if answer.caveats:
        parts.append(Text(""))
        parts.extend(Text(f"⚠ {caveat}", style="yellow") for caveat in answer.caveats)
    parts += [Text(""), Text(context_line(answer), style="dim")]
    if show_sql and answer.sql:
        from rich.syntax import Syntax

        # The terminal's own background: no padding of every line to the full width.
        sql = Syntax(answer.sql, "sql", word_wrap=True, background_color="default")
        parts += [Text(""), sql]
    return Group(*parts)


def result_table(answer: Answer, max_rows: int = MAX_TABLE_ROWS) -> Table:
    metric = [answer.kinds.get(c) == "metric" for c in answer.columns]
    table = sized_table(answer.columns, metric, formatted_rows(answer, max_rows))
    if not answer.rows:
        table.caption = "No rows."
    return table


def sized_table(names: list[str], metric: list[bool], cells: list[list[str]]) -> Table:
    """Headers wrap at underscores; numbers never wrap or crop; long labels fold."""
    from rich.table import Table

    table = Table(header_style="bold")
    for index, name in enumerate(names):
        header = name.replace("_", "\n")
        widest = max([len(row[index]) for row in cells] + [len(w) for w in header.split()])
        if metric[index]:
            table.add_column(header, justify="right", no_wrap=True, min_width=widest)
        else:
            table.add_column(header, overflow="fold", min_width=min(widest, 24))
    for row in cells:
        table.add_row(*row)
    return table


def table_width(table: Table) -> int:
    """The width a table needs so that no number is cropped."""
    return sum((c.min_width or 4) + 3 for c in table.columns) + 1


def wide_enough(console: Console, answer: Answer) -> Console:
    """The console, or a wider one when the answer's table would not fit (a cropped number is
    worse than a long line)."""
    from rich.console import Console

    needed = table_width(result_table(answer)) if answer.columns else 0
    if needed > console.width:
        return Console(width=needed, highlight=False, stderr=console.stderr)
    return console
