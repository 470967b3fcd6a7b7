"""The explanation: sentences computed from the result's numbers, never invented."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from recsight.engine import Engine, QueryResult


@dataclass
class Story:
    sentences: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)


def explain(engine: Engine, outcome: QueryResult) -> Story:
    # TODO(answering): leader and gap, significance, trend, segment-mix check; lands with issue 3.
    rows = outcome.result.rows
    return Story(facts={"row_count": len(rows)})
