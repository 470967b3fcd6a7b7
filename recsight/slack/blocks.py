"""An Answer as Block Kit: restatement, table, explanation, caveats and the buttons under it.

A narrow, short table becomes section fields (a grid that reads well on a phone); anything wider
or longer becomes a preformatted block, and when even that has to cut rows or runs past a phone's
width the full table is uploaded as a CSV beside the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from recsight.answering.answer import Answer
from recsight.answering.render import context_line, formatted_rows, row_notes
from recsight.answering.restate import metric_label
from recsight.slack.text import clip, escape, mrkdwn

Block = dict[str, Any]

SHOW_SQL = "show_sql"
BY_WEEK = "by_week"
DOWNLOAD_CSV = "download_csv"

MAX_FIELDS = 10  # Slack's limit for a section's fields
NARROW_COLUMNS = 3
TEXT_LIMIT = 2900  # a section's text may hold 3000 characters; leave room for markup
FIELD_LIMIT = 1900
PRE_ROWS = 25
WIDE_CHARS = 72  # wider than this wraps on a phone and stops reading as a table
MAX_CAVEATS = 9  # a context block holds 10 elements


@dataclass(frozen=True)
class TableLayout:
    style: Literal["fields", "preformatted", "none"]
    shown_rows: int
    attach_csv: bool


def column_label(answer: Answer, name: str) -> str:
    if answer.kinds.get(name) == "metric":
        return metric_label(name)
    return name.replace("_", " ")


def table_layout(answer: Answer) -> TableLayout:
    rows = len(answer.rows)
    if rows == 0:
        return TableLayout("none", 0, False)
    fields = rows if answer.dimension_columns() else len(answer.columns)
    if len(answer.columns) <= NARROW_COLUMNS and fields <= MAX_FIELDS and not answer.truncated:
        return TableLayout("fields", rows, False)
    lines = preformatted_lines(answer, formatted_rows(answer))
    shown = _rows_that_fit(lines)
    wide = max(len(line) for line in lines) > WIDE_CHARS
    return TableLayout("preformatted", shown, shown < rows or wide or answer.truncated)


def answer_blocks(answer: Answer, answer_id: str, layout: TableLayout) -> list[Block]:
    blocks: list[Block] = [_section(f"*{escape(answer.restatement)}*")]
    blocks.extend(_table_blocks(answer, layout))
    if answer.explanation:
        bullets = "\n".join(f"• {sentence}" for sentence in answer.explanation)
        blocks.append(_section(mrkdwn(bullets, TEXT_LIMIT)))
    caveats = [f":warning: {mrkdwn(c, FIELD_LIMIT)}" for c in answer.caveats[:MAX_CAVEATS]]
    if caveats:
        blocks.append(_context(caveats))
    blocks.append(_context([mrkdwn(context_line(answer), FIELD_LIMIT)]))
    blocks.append(_buttons(answer, answer_id))
    return blocks


def sql_blocks(answer: Answer) -> list[Block]:
    return [
        _context([f"SQL behind _{escape(answer.restatement)}_"]),
        _preformatted(clip(answer.sql, TEXT_LIMIT)),
    ]


def notice_blocks(text: str) -> list[Block]:
    """Plain text (escaped here) as one section."""
    return [_section(mrkdwn(text, TEXT_LIMIT))]


def mrkdwn_blocks(text: str) -> list[Block]:
    """Text already written as mrkdwn (mentions, bold) as one section."""
    return [_section(clip(text, TEXT_LIMIT))]


HELP = (
    "Ask me about your recommendation engines in plain English, for example:\n"
    "• Which algorithm has the best CTR for high-value customers?\n"
    "• Revenue by category last month\n"
    "• Conversion rate by device for outerwear, weekly\n"
    "Mention me in a channel, use `/recsight <question>`, or reply in my thread to build on the "
    'last answer ("now only for shoes", "by week").'
)


def preformatted_lines(answer: Answer, table: list[list[str]]) -> list[str]:
    header = [column_label(answer, c) for c in answer.columns]
    widths = [max(len(v) for v in [h, *(row[i] for row in table)]) for i, h in enumerate(header)]
    right = [answer.kinds.get(c) == "metric" for c in answer.columns]

    def line(values: list[str]) -> str:
        padded = [
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [line(header), rule, *(line(row) for row in table)]


def _rows_that_fit(lines: list[str]) -> int:
    used = len(lines[0]) + len(lines[1]) + 2
    shown = 0
    for line in lines[2 : 2 + PRE_ROWS]:
        used += len(line) + 1
        if used > TEXT_LIMIT:
            break
        shown += 1
    return shown


def _table_blocks(answer: Answer, layout: TableLayout) -> list[Block]:
    if layout.style == "none":
        return []
    table = formatted_rows(answer)
    if layout.style == "fields":
        return _field_blocks(answer, table)
    lines = preformatted_lines(answer, table)[: 2 + layout.shown_rows]
    blocks = [_preformatted("\n".join(lines))]
    notes = row_notes(answer, layout.shown_rows)
    if layout.attach_csv:
        notes.append("The table is attached as CSV.")
    if notes:
        blocks.append(_context([mrkdwn(" ".join(notes), FIELD_LIMIT)]))
    return blocks


def _field_blocks(answer: Answer, table: list[list[str]]) -> list[Block]:
    names = answer.columns
    metric_at = [i for i, c in enumerate(names) if answer.kinds.get(c) == "metric"]
    dimension_at = [i for i, c in enumerate(names) if answer.kinds.get(c) != "metric"]
    if not dimension_at:
        fields = [f"*{escape(column_label(answer, names[i]))}*\n{table[0][i]}" for i in metric_at]
        return [{"type": "section", "fields": [_mrkdwn(f) for f in fields]}]

    def metrics_of(row: list[str]) -> str:
        if len(metric_at) == 1:
            return row[metric_at[0]]
        return " · ".join(f"{column_label(answer, names[i])} {row[i]}" for i in metric_at)

    fields = [
        f"*{escape(' · '.join(row[i] for i in dimension_at))}*\n{escape(metrics_of(row))}"
        for row in table
    ]
    heading = " · ".join(column_label(answer, c) for c in names)
    return [
        _context([escape(heading)]),
        {"type": "section", "fields": [_mrkdwn(clip(f, FIELD_LIMIT)) for f in fields]},
    ]


def _buttons(answer: Answer, answer_id: str) -> Block:
    wanted = [("Show SQL", SHOW_SQL)]
    if can_regroup_by_week(answer):
        wanted.append(("By week", BY_WEEK))
    if answer.rows:
        wanted.append(("Download CSV", DOWNLOAD_CSV))
    buttons = [
        {
            "type": "button",
            "action_id": action,
            "text": {"type": "plain_text", "text": label},
            "value": answer_id,
        }
        for label, action in wanted
    ]
    return {"type": "actions", "block_id": "answer_actions", "elements": buttons}


def can_regroup_by_week(answer: Answer) -> bool:
    """Only an answer from a semantic query can be regrouped, and only if not weekly already."""
    if answer.query is None:
        return False
    return not any(d.grain is not None and d.grain.value == "week" for d in answer.query.dimensions)


def _section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(texts: list[str]) -> Block:
    return {"type": "context", "elements": [_mrkdwn(t) for t in texts]}


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _preformatted(text: str) -> Block:
    return {
        "type": "rich_text",
        "elements": [
            {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": text}]}
        ],
    }
