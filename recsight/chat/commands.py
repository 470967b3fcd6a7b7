"""Slash commands: /metrics, /dimensions, /sql, /explain, /chart, /export, /save, /run, /help...

A command either prints at once or hands back a job (a saved question to run) that the chat runs
under its spinner, so Ctrl-C can cancel it like any question.
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax
from rich.table import Table

from recsight.answering.answer import Answer
from recsight.chat import export
from recsight.chat.respond import Responder
from recsight.chat.state import Conversation, SavedQuestions, Turn, chat_dir
from recsight.engine import Engine
from semantic_layer.errors import UserError, closest

log = logging.getLogger(__name__)

Job = Callable[[], Turn]


@dataclass
class Chat:
    """Everything a command may read or change."""

    engine: Engine
    conversation: Conversation
    saved: SavedQuestions
    responder: Responder
    console: Console


@dataclass(frozen=True)
class Outcome:
    job: Job | None = None
    quit: bool = False


Handler = Callable[[Chat, list[str]], Outcome]


def run_command(line: str, chat: Chat) -> Outcome:
    try:
        words = shlex.split(line)
    except ValueError as error:
        raise UserError(f"Could not read '{line}': {error}.", hint="Close the quote.") from None
    name, args = words[0].lower(), words[1:]
    if name not in COMMANDS:
        raise UserError(_unknown_command(name))
    handler, _, _ = COMMANDS[name]
    return handler(chat, args)


def _unknown_command(name: str) -> str:
    suggestion = closest(name, COMMANDS, limit=1)
    hint = f" Did you mean {suggestion[0]}?" if suggestion else ""
    return f"Unknown command '{name}'.{hint} Type /help for the list."


def _last(chat: Chat) -> Answer:
    answer = chat.conversation.last_answer
    if answer is None:
        raise UserError("No answer yet.", hint="Ask a question first, e.g. 'CTR by algorithm'.")
    return answer


def _metrics(chat: Chat, args: list[str]) -> Outcome:
    from recsight.cli.catalog_view import metric_entries

    table = Table(title="Metrics", title_justify="left", header_style="bold")
    for column in ("metric", "unit", "description"):
        table.add_column(column, overflow="fold")
    for entry in metric_entries(chat.engine.model):
        table.add_row(str(entry["name"]), str(entry["unit"]), str(entry["description"]))
    chat.console.print(table)
    return Outcome()


def _dimensions(chat: Chat, args: list[str]) -> Outcome:
    model = chat.engine.model
    if args:
        return _values(chat, " ".join(args))
    table = Table(title="Dimensions", title_justify="left", header_style="bold")
    table.add_column("dimension")
    table.add_column("description", overflow="fold")
    for dim in model.dimensions.values():
        table.add_row(dim.name, dim.description.strip())
    chat.console.print(table)
    chat.console.print("[dim]/dimensions NAME lists a dimension's values.[/dim]")
    return Outcome()


def _values(chat: Chat, name: str) -> Outcome:
    model = chat.engine.model
    if name not in model.dimensions:
        name = chat.responder.vocabulary.dimension(name)
    if model.dimensions[name].type == "time":
        chat.console.print(
            f"'{name}' is the time dimension; group it by day, week, month, quarter, year, "
            "day_of_week or hour_of_day: 'by week'."
        )
        return Outcome()
    values = chat.engine.dimension_values(name, limit=30)
    chat.console.print(
        f"[bold]{name}[/bold]: " + ", ".join(escape(f"{v} ({n:,})") for v, n in values),
        soft_wrap=True,
    )
    return Outcome()


def _sql(chat: Chat, args: list[str]) -> Outcome:
    # Highlighted but never re-wrapped: a line break inside a literal would change the SQL.
    text = Syntax(_last(chat).sql, "sql", theme="ansi_dark").highlight(_last(chat).sql)
    chat.console.print(text, soft_wrap=True)
    return Outcome()


def _explain(chat: Chat, args: list[str]) -> Outcome:
    answer = _last(chat)
    turn = chat.conversation.last
    chat.console.print(f"[bold]Read as:[/bold] {escape(answer.restatement)}")
    if turn:
        chat.console.print(f"[bold]By:[/bold] the {turn.source}")
    if answer.query is not None:
        query = answer.query.model_dump_json(exclude_defaults=True)
        chat.console.print(f"[bold]Semantic query:[/bold] {escape(query)}", soft_wrap=True)
    if answer.ignored_words:
        chat.console.print(
            f"[bold]Words not used:[/bold] {escape(', '.join(answer.ignored_words))}"
        )
    if answer.data_range:
        span = answer.data_range
        chat.console.print(f"[bold]Data covers:[/bold] {span.start} to {span.end}")
    for sentence in answer.explanation:
        chat.console.print(f"• {escape(sentence)}", soft_wrap=True)
    for caveat in answer.caveats:
        chat.console.print(f"[yellow]! {escape(caveat)}[/yellow]", soft_wrap=True)
    return Outcome()


def _chart(chat: Chat, args: list[str]) -> Outcome:
    answer = _last(chat)
    if len(args) > 1:
        raise UserError("Usage: /chart [PATH.png]")
    count = len(chat.conversation.turns)
    path = Path(args[0]).expanduser() if args else chat_dir() / "charts" / f"answer-{count}.png"
    written = export.write_chart(answer, path)
    chat.console.print(f"Chart written to {escape(str(written))}", soft_wrap=True)
    return Outcome()


def _export(chat: Chat, args: list[str]) -> Outcome:
    if len(args) != 2 or args[0].lower() not in export.FORMATS:
        raise UserError(
            "Usage: /export csv PATH or /export parquet PATH, e.g. /export csv ctr.csv",
        )
    path = export.write_rows(_last(chat), args[0].lower(), Path(args[1]).expanduser())
    rows = len(_last(chat).rows)
    chat.console.print(f"Wrote {rows:,} rows to {escape(str(path))}", soft_wrap=True)
    return Outcome()


def _save(chat: Chat, args: list[str]) -> Outcome:
    if len(args) != 1:
        raise UserError("Usage: /save NAME, e.g. /save ctr-weekly")
    answer = _last(chat)
    if answer.query is None:
        raise UserError("This answer ran model-written SQL; only semantic queries can be saved.")
    saved = chat.saved.save(args[0], answer.question or answer.restatement, answer.query)
    chat.console.print(f"Saved '{saved.name}'. Run it again any time with /run {saved.name}")
    return Outcome()


def _run(chat: Chat, args: list[str]) -> Outcome:
    if len(args) != 1:
        names = chat.saved.names()
        listed = ", ".join(names) if names else "none yet (/save NAME saves the last answer)"
        raise UserError(f"Usage: /run NAME. Saved questions: {listed}.")
    saved = chat.saved.get(args[0])
    return Outcome(job=lambda: chat.responder.run_saved(saved))


def _undo(chat: Chat, args: list[str]) -> Outcome:
    turn = chat.conversation.undo()
    if turn is None:
        chat.console.print("Back to the start: no answer to build on.")
    else:
        chat.console.print(f"Back to: {escape(turn.answer.restatement)}")
    return Outcome()


def _help(chat: Chat, args: list[str]) -> Outcome:
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    for _, usage, text in COMMANDS.values():
        if usage:
            table.add_row(usage, text)
    chat.console.print("Ask a question in plain English, then follow up:")
    chat.console.print(
        "  now by week · only shoes · excluding tablet · top 3 · compare with last month · why? "
        "· undo"
    )
    chat.console.print(table)
    chat.console.print(
        "[dim]Enter sends; Alt-Enter (or Esc then Enter) adds a line; Tab "
        "completes names; Ctrl-C cancels a running query; Ctrl-D leaves.[/dim]"
    )
    return Outcome()


def _quit(chat: Chat, args: list[str]) -> Outcome:
    return Outcome(quit=True)


COMMANDS: dict[str, tuple[Handler, str, str]] = {
    "/metrics": (_metrics, "/metrics", "the metrics you can ask for"),
    "/dimensions": (_dimensions, "/dimensions [NAME]", "the dimensions, or one's values"),
    "/sql": (_sql, "/sql", "the SQL behind the last answer"),
    "/explain": (_explain, "/explain", "how the last question was read, and why"),
    "/chart": (_chart, "/chart [PATH]", "write the last answer's chart to a PNG"),
    "/export": (_export, "/export csv|parquet PATH", "write the last answer's rows to a file"),
    "/save": (_save, "/save NAME", "save the last question"),
    "/run": (_run, "/run NAME", "run a saved question"),
    "/undo": (_undo, "/undo", "forget the last answer (or type 'undo')"),
    "/help": (_help, "/help", "this list"),
    "/quit": (_quit, "/quit", "leave (or Ctrl-D)"),
    "/exit": (_quit, "", ""),
}
