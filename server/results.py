"""Tool results: readable text, structured content matching the output schema, and a chart."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mcp_types import CallToolResult, ContentBlock, TextContent
from pydantic import BaseModel

from recsight.answering.answer import Answer
from recsight.answering.formatting import plain_rows
from semantic_layer.query import TimeRange

if TYPE_CHECKING:
    from recsight.guard import GuardedSql
    from recsight.warehouse.executor import Result
from server.arguments import MAX_RESULT_ROWS
from server.chart import chart_image
from server.render import answer_markdown, table_markdown
from server.schemas import Cell, QueryAnswer, Span, SqlResult


def result(text: str, structured: BaseModel, *extra: ContentBlock) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=text), *extra],
        structured_content=structured.model_dump(mode="json"),
    )


def answer_result(answer: Answer) -> CallToolResult:
    cut = len(answer.rows) > MAX_RESULT_ROWS
    if cut:
        # The response carries at most MAX_RESULT_ROWS; from here on, that is the answer's table.
        answer = answer.model_copy(
            update={"rows": answer.rows[:MAX_RESULT_ROWS], "truncated": True}
        )
    rows = answer.rows
    image = chart_image(answer)
    structured = QueryAnswer(
        question=answer.question,
        restatement=answer.restatement,
        query=answer.query.model_dump(mode="json", exclude_defaults=True) if answer.query else None,
        sql=answer.sql,
        columns=answer.columns,
        units=answer.units,
        rows=rows,
        row_count=len(rows),
        truncated=answer.truncated,
        explanation=answer.explanation,
        caveats=answer.caveats,
        time_range=_span(answer.time_range),
        data_range=_span(answer.data_range),
        planner=answer.planner,
        chart=image is not None,
    )
    text = answer_markdown(answer)
    return result(text, structured, *([image] if image else []))


def sql_result(guarded: GuardedSql, outcome: Result) -> CallToolResult:
    rows = [[_cell(v) for v in row] for row in plain_rows(outcome.rows)]
    table, note = table_markdown(outcome.columns, rows, outcome.truncated)
    parts = [table or "(no columns)", *([] if rows else ["No rows."]), *([note] if note else [])]
    parts.append(f"SQL that ran (checked by the SQL guard):\n```sql\n{guarded.sql}\n```")
    structured = SqlResult(
        sql=guarded.sql,
        tables=list(guarded.tables),
        columns=outcome.columns,
        rows=rows,
        row_count=len(rows),
        truncated=outcome.truncated,
    )
    return result("\n\n".join(parts), structured)


def records_table(names: Sequence[str], records: Sequence[Sequence[Any]]) -> str:
    from recsight.answering.formatting import to_markdown

    return to_markdown(names, [[str(v) for v in record] for record in records])


def _cell(value: Any) -> Cell:
    """Lists, structs and other non-scalar values (possible in run_sql) as JSON text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, default=str)


def _span(span: TimeRange | None) -> Span | None:
    return Span(start=span.start.isoformat(), end=span.end.isoformat()) if span else None
