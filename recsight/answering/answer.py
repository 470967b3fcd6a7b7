"""The Answer: what every front end shows for a question, and what `--format json` prints."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from semantic_layer.query import SemanticQuery, TimeRange

PlannerName = Literal["builtin", "llm", "llm-sql", "structured"]


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="The question as asked ('' for a structured query).")
    restatement: str = Field(description="One line saying how the question was read.")
    query: SemanticQuery | None = Field(description="The semantic query (None for model SQL).")
    sql: str = Field(description="The SQL that ran, in the warehouse's dialect.")
    columns: list[str]
    units: dict[str, str] = Field(default_factory=dict, description="Unit of each metric column.")
    kinds: dict[str, str] = Field(default_factory=dict, description="dimension or metric.")
    rows: list[list[Any]] = Field(description="JSON-ready values: rates as fractions (0.0237).")
    truncated: bool = False
    explanation: list[str] = Field(description="Sentences computed from the numbers.")
    caveats: list[str] = Field(default_factory=list)
    time_range: TimeRange | None = Field(default=None, description="The resolved time range.")
    data_range: TimeRange | None = Field(default=None, description="What the warehouse covers.")
    chart: dict[str, Any] | None = Field(default=None, description="Vega-Lite spec, if useful.")
    planner: PlannerName = "builtin"
    ignored_words: list[str] = Field(default_factory=list)
    usage: dict[str, int] | None = Field(default=None, description="LLM tokens, when one ran.")
    elapsed_ms: float = 0.0
    facts: dict[str, Any] = Field(
        default_factory=dict, description="The computed numbers the explanation used."
    )

    def metric_columns(self) -> list[str]:
        return [c for c in self.columns if self.kinds.get(c) == "metric"]

    def dimension_columns(self) -> list[str]:
        return [c for c in self.columns if self.kinds.get(c) == "dimension"]
