"""How an answer looks in the chat: the shared rendering, plus what only the chat knows."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.markup import escape

from recsight.answering.render import render_rich, wide_enough
from recsight.chat.state import Turn

log = logging.getLogger(__name__)

MAX_ROWS = 25
"""Rows shown on screen; more are cut with a note pointing at /export."""


def show_turn(console: Console, turn: Turn) -> None:
    """The answer as every front end shows it, plus what only the chat knows: who built it."""
    wide_enough(console, turn.answer).print(render_rich(turn.answer, max_rows=MAX_ROWS))
    if len(turn.answer.rows) > MAX_ROWS:
        console.print("[dim]/export csv PATH writes every row.[/dim]")
    if turn.note:
        console.print(f"[dim]{escape(turn.note)}[/dim]")
