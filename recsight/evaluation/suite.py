"""Eval questions: the YAML files under eval/questions, loaded and checked into `Question`s.

Each entry is a question with exactly one kind of gold: a semantic query (`gold`), hand-written
DuckDB SQL (`gold_sql`), or `refuse: true` for questions the model cannot answer.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from recsight.evaluation import pinned
from semantic_layer.errors import UserError, closest
from semantic_layer.query import SemanticQuery

log = logging.getLogger(__name__)

SUITE_FOLDER = Path("eval") / "questions"


def default_suite() -> Path:
    """eval/questions in the working directory, else the one in recsight's source checkout."""
    here = Path.cwd() / SUITE_FOLDER
    return here if here.is_dir() else Path(__file__).resolve().parents[2] / SUITE_FOLDER


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    category: str = Field(min_length=1)
    question: str = Field(min_length=1)
    gold: SemanticQuery | None = None
    gold_sql: str | None = None
    refuse: bool = False
    ordered: bool = False
    """Whether row order is part of the answer (rankings, top-N, trends)."""
    as_of: date = pinned.AS_OF
    note: str = ""
    """Why the gold is what it is, when a reader could wonder."""

    @model_validator(mode="after")
    def _one_kind_of_gold(self) -> Question:
        kinds = [k for k, v in (("gold", self.gold), ("gold_sql", self.gold_sql)) if v]
        if self.refuse:
            kinds.append("refuse")
        if len(kinds) != 1:
            found = ", ".join(kinds) or "none"
            raise ValueError(f"needs exactly one of gold, gold_sql or refuse: true (found {found})")
        if self.refuse and self.ordered:
            raise ValueError("a question that must be refused has no row order")
        return self

    @property
    def kind(self) -> str:
        return "refuse" if self.refuse else "gold" if self.gold else "gold_sql"


def load_suite(path: Path | str | None = None, category: str | None = None) -> list[Question]:
    """Every question of the suite (a folder of YAML files, or one file), in file order."""
    root = Path(path) if path is not None else default_suite()
    files = sorted(root.glob("*.yaml")) if root.is_dir() else [root]
    if not root.exists() or not files:
        raise UserError(
            f"No eval questions at '{root}'.",
            hint="Point --suite at a folder of *.yaml question files, e.g. eval/questions.",
        )
    questions = [q for file in files for q in _load_file(file)]
    _check_unique(questions)
    if category is None:
        return questions
    return _only_category(questions, category)


def _load_file(file: Path) -> list[Question]:
    try:
        entries = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise UserError(f"Could not read eval questions from '{file}': {error}") from None
    if not isinstance(entries, list):
        raise UserError(f"'{file}' must hold a list of questions, got {type(entries).__name__}.")
    return [_question(file, index, entry) for index, entry in enumerate(entries, start=1)]


def _question(file: Path, index: int, entry: Any) -> Question:
    label = entry.get("id", f"entry {index}") if isinstance(entry, dict) else f"entry {index}"
    try:
        return Question.model_validate(entry)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "entry"
        raise UserError(
            f"Eval question '{label}' in '{file.name}' is invalid at {where}: {first['msg']}."
        ) from None


def _check_unique(questions: list[Question]) -> None:
    repeated = [i for i, n in Counter(q.id for q in questions).items() if n > 1]
    if repeated:
        raise UserError(f"Eval question ids must be unique; repeated: {', '.join(repeated)}.")


def _only_category(questions: list[Question], category: str) -> list[Question]:
    chosen = [q for q in questions if q.category == category]
    if not chosen:
        names = sorted({q.category for q in questions})
        near = closest(category, names, limit=1)
        raise UserError(
            f"No eval category '{category}'.",
            hint=f"Categories: {', '.join(names)}."
            + (f" Did you mean '{near[0]}'?" if near else ""),
        )
    return chosen


def categories(questions: list[Question]) -> list[str]:
    """Category names in the order they first appear."""
    return list(dict.fromkeys(q.category for q in questions))
