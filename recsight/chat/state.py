"""What a chat remembers: the answers so far (a stack, for undo) and the saved questions."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from recsight import config
from recsight.answering.answer import Answer
from semantic_layer.errors import UserError, closest
from semantic_layer.query import SemanticQuery

log = logging.getLogger(__name__)

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")


def chat_dir() -> Path:
    """The chat's files (history, saved questions) inside recsight's data directory."""
    return config.data_dir() / "chat"


def history_path() -> Path:
    return chat_dir() / "history"


@dataclass(frozen=True)
class Turn:
    """One answer in the conversation and who produced it: a planner ("built-in planner"), the
    chat's follow-up rules or a saved question (those answers carry planner 'structured')."""

    answer: Answer
    source: str
    note: str = ""
    """Shown under an answer the chat built itself: which rule, or which saved question."""


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    @property
    def last_answer(self) -> Answer | None:
        return self.turns[-1].answer if self.turns else None

    @property
    def last_query(self) -> SemanticQuery | None:
        answer = self.last_answer
        return answer.query if answer else None

    def push(self, turn: Turn) -> None:
        self.turns.append(turn)

    def undo(self) -> Turn | None:
        """Forget the last answer; the one before becomes what follow-ups build on."""
        if not self.turns:
            raise UserError("Nothing to undo yet.", hint="Ask a question first.")
        self.turns.pop()
        return self.last


@dataclass(frozen=True)
class SavedQuestion:
    name: str
    question: str
    query: SemanticQuery


class SavedQuestions:
    """Named questions kept as JSON, so `/run NAME` gives the same semantic query next week."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or chat_dir() / "saved.json"

    def names(self) -> list[str]:
        return sorted(self._load())

    def save(self, name: str, question: str, query: SemanticQuery) -> SavedQuestion:
        if not _NAME.fullmatch(name):
            raise UserError(
                f"'{name}' can't name a saved question.",
                hint="Use letters, digits, '-', '_' or '.', up to 40 characters: /save ctr-weekly",
            )
        entries = self._load()
        entries[name] = {"question": question, "query": query.model_dump(mode="json")}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(entries, indent=2), encoding="utf-8")
        return SavedQuestion(name, question, query)

    def get(self, name: str) -> SavedQuestion:
        entries = self._load()
        if name not in entries:
            raise UserError(_unknown_saved(name, list(entries)))
        entry = entries[name]
        try:
            query = SemanticQuery.model_validate(entry["query"])
        except (KeyError, TypeError, ValidationError) as error:
            raise UserError(
                f"Saved question '{name}' in {self.path} is damaged ({type(error).__name__}).",
                hint=f"Save it again with /save {name}.",
            ) from None
        return SavedQuestion(name, str(entry.get("question", "")), query)

    def _load(self) -> dict[str, dict[str, object]]:
        if not self.path.is_file():
            return {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            log.warning("saved questions at %s unreadable: %s", self.path, error)
            raise UserError(
                f"Could not read saved questions at {self.path}.",
                hint="Fix or delete the file; it is JSON of name -> {question, query}.",
            ) from None
        return loaded if isinstance(loaded, dict) else {}


def _unknown_saved(name: str, names: list[str]) -> str:
    if not names:
        return f"No saved question '{name}': nothing is saved yet. Save the last answer: /save NAME"
    text = f"No saved question '{name}'."
    suggestion = closest(name, names, limit=1)
    if suggestion:
        text += f" Did you mean '{suggestion[0]}'?"
    return text + f" Saved: {', '.join(sorted(names))}."
