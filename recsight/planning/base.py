"""What every planner receives and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from recsight.answering.answer import PlannerName
from semantic_layer.query import SemanticQuery, TimeRange
from semantic_layer.spec import SemanticModel


@dataclass(frozen=True)
class PlanContext:
    """Everything a planner may consult besides the question itself."""

    model: SemanticModel
    values: dict[str, list[str]]
    """Each categorical dimension's values as spelled in the warehouse."""
    as_of: date
    """'Today' for relative time ranges."""
    data_range: TimeRange | None = None
    previous: SemanticQuery | None = None
    """The last answer's query, for follow-ups ("now only for shoes")."""
    history: list[str] = field(default_factory=list)


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: SemanticQuery | None = None
    """The semantic query; None only for a plan made of model-written SQL."""
    planner: PlannerName = "builtin"
    ignored_words: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    confidence: float = 1.0
    sql: str | None = None
    """Set only when an LLM wrote SQL the semantic layer could not express."""
    usage: dict[str, int] | None = None

    @model_validator(mode="after")
    def _query_or_sql(self) -> Plan:
        if (self.query is None) == (self.sql is None):
            raise ValueError("a plan holds either a semantic query or SQL, exactly one of them")
        return self


class Planner(Protocol):
    name: str

    def plan(self, question: str, context: PlanContext) -> Plan:
        """A plan, or `PlanningError` naming what could not be understood and what would work."""
        ...
