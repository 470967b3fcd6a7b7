"""The chat loop: read a line (prompt_toolkit), answer it in a worker thread under a spinner.

Ctrl-C while a query runs interrupts DuckDB and keeps the session; Ctrl-C at the prompt clears the
line; Ctrl-D or /quit leaves. Without a terminal (piped input) lines are read plainly, one each.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import date

from prompt_toolkit import PromptSession
from prompt_toolkit.history import FileHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from rich.console import Console
from rich.markup import escape

from recsight.chat.commands import COMMANDS, Chat, Job, run_command
from recsight.chat.completion import ChatCompleter
from recsight.chat.followups import is_undo
from recsight.chat.respond import Responder, choose_planner
from recsight.chat.state import Conversation, SavedQuestions, Turn, history_path
from recsight.chat.view import show_turn
from recsight.engine import Engine
from semantic_layer.errors import UserError

log = logging.getLogger(__name__)

PROMPT = "recsight> "


class Cancelled(Exception):
    """The user pressed Ctrl-C while a query ran."""


def run_chat(engine: Engine, as_of: date | None, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    planner, planner_note = choose_planner(engine)
    chat = Chat(
        engine, Conversation(), SavedQuestions(), Responder(engine, as_of, planner), console
    )
    console.print(f"[bold]recsight chat[/bold] on {escape(str(engine.warehouse.path))}")
    console.print(f"[dim]Questions go to the {escape(planner_note)}.[/dim]")
    console.print("[dim]/help lists commands; Ctrl-D leaves.[/dim]")
    lines = _terminal_lines(chat) if sys.stdin.isatty() else _piped_lines()
    for line in lines:
        if not handle(chat, line):
            break
    console.print("Bye.")


def handle(chat: Chat, line: str) -> bool:
    """Answer or run one line; False when the user asked to leave."""
    text = line.strip()
    if not text:
        return True
    try:
        if text.startswith("/"):
            outcome = run_command(text, chat)
            if outcome.quit:
                return False
            if outcome.job:
                _show(chat, run_job(chat, outcome.job))
        elif is_undo(text):
            run_command("/undo", chat)
        else:
            _show(chat, run_job(chat, lambda: chat.responder.respond(text, chat.conversation)))
    except Cancelled:
        chat.console.print("[yellow]Cancelled.[/yellow] Ask another question, or /help.")
    except UserError as error:
        chat.console.print(f"[red]{escape(str(error))}[/red]", soft_wrap=True)
    except Exception as error:  # a bug: say so in one line and keep the conversation
        if os.environ.get("RECSIGHT_DEBUG"):
            chat.console.print_exception()
        else:
            log.debug("internal error", exc_info=True)
            chat.console.print(
                f"[red]Internal error ({type(error).__name__}: {escape(str(error))}). This is a "
                "bug in recsight; RECSIGHT_DEBUG=1 shows the traceback.[/red]",
                soft_wrap=True,
            )
    return True


def _show(chat: Chat, turn: Turn) -> None:
    chat.conversation.push(turn)
    show_turn(chat.console, turn)


def run_job(chat: Chat, job: Job) -> Turn:
    """Run the job in a worker thread under a spinner; Ctrl-C interrupts the warehouse."""
    future: Future[Turn] = Future()

    def work() -> None:
        try:
            future.set_result(job())
        except BaseException as error:  # handed to the main thread, which reports it
            future.set_exception(error)

    threading.Thread(target=work, name="recsight-chat-query", daemon=True).start()
    try:
        with chat.console.status("Working… (Ctrl-C cancels)", spinner="dots"):
            return _wait(future)
    except KeyboardInterrupt:
        _cancel(chat.engine, future)
        raise Cancelled() from None


def _wait(future: Future[Turn]) -> Turn:
    while True:
        try:
            return future.result(timeout=0.1)
        except TimeoutError:
            continue


def _cancel(engine: Engine, future: Future[Turn]) -> None:
    """Interrupt until the worker stops: a query may start just after the first interrupt."""
    while not future.done():
        try:
            engine.warehouse.interrupt()
            future.exception(timeout=0.1)
        except TimeoutError:
            continue
        except KeyboardInterrupt:
            continue
    log.info("query cancelled by the user")


def _terminal_lines(chat: Chat) -> Iterator[str]:
    session = _prompt_session(chat)
    while True:
        try:
            yield session.prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            return


def _piped_lines() -> Iterator[str]:
    for line in sys.stdin:
        print(PROMPT + line.rstrip("\n"), flush=True)
        yield line


def _prompt_session(chat: Chat) -> PromptSession[str]:
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    completer = ChatCompleter(
        commands=[c for c, (_, usage, _) in COMMANDS.items() if usage],
        metrics=chat.engine.model.metrics,
        dimensions=chat.engine.model.dimensions,
        values=chat.engine.values,
        saved=chat.saved.names,
    )
    return PromptSession(
        history=FileHistory(str(path)),
        completer=completer,
        complete_while_typing=True,
        multiline=True,
        key_bindings=_keys(),
        prompt_continuation=lambda width, line, wrap: "." * (width - 1) + " ",
    )


def _keys() -> KeyBindings:
    """Enter sends the question (or takes the highlighted completion); Alt-Enter adds a line."""
    keys = KeyBindings()

    @keys.add("enter")
    def _send(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        state = buffer.complete_state
        if state and state.current_completion:
            buffer.apply_completion(state.current_completion)
            return
        buffer.validate_and_handle()

    @keys.add("escape", "enter")
    def _newline(event: KeyPressEvent) -> None:
        event.current_buffer.insert_text("\n")

    return keys
