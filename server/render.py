"""Results as markdown a person (or a client's model) reads: the table, the words, the SQL.

Responses are capped in rows and characters so one call can't flood a client's context window;
whatever is cut is said in a note, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from recsight.answering.answer import Answer
from recsight.answering.formatting import format_value, to_markdown
from recsight.answering.render import render_markdown

MAX_TEXT_CHARS = 16_000
_NARROW = "Narrow the request (filters, a shorter time range, fewer dimensions, or a limit)."


def answer_markdown(answer: Answer) -> str:
    """The shared markdown rendering, with as many rows as fit in MAX_TEXT_CHARS."""
    shown = len(answer.rows)
    text = render_markdown(answer, max_rows=shown)
    while len(text) > MAX_TEXT_CHARS and shown > 1:
        shown = max(1, shown - max(1, shown // 4))
        text = render_markdown(answer, max_rows=shown)
    return text.rstrip()


def table_markdown(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], cut_rows: bool
) -> tuple[str, str | None]:
    """Raw rows (run_sql) as a table, with the note to show when it was cut."""
    cells = [[format_value(v, None) for v in row] for row in rows]
    table, shown = fit_table(columns, cells, MAX_TEXT_CHARS - 1_000)
    return table, truncation_note(shown, len(rows), cut_rows)


def fit_table(
    names: Sequence[str], cells: Sequence[Sequence[str]], max_chars: int
) -> tuple[str, int]:
    """The longest leading slice of the rows whose markdown fits in `max_chars`."""
    shown = len(cells)
    table = to_markdown(names, cells)
    while len(table) > max_chars and shown > 0:
        shown = max(0, shown - max(1, shown // 4))
        table = to_markdown(names, cells[:shown])
    return table, shown


def truncation_note(shown: int, carried: int, cut: bool) -> str | None:
    if shown < carried:
        total = f"{carried:,}+" if cut else f"{carried:,}"
        return f"_Showing the first {shown:,} of {total} rows to keep this short. {_NARROW}_"
    if cut:
        return f"_Only the first {carried:,} rows are shown; the result has more. {_NARROW}_"
    return None
