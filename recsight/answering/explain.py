"""The explanation: sentences computed from the result's numbers, never invented.

Each number a sentence states is also recorded in `Story.facts` under a stable name, so a phrasing
written elsewhere (an LLM's) can be checked against what was actually computed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from recsight.answering.formatting import (
    format_difference,
    format_pair,
    format_percent,
    format_value,
    plain,
)
from recsight.engine import Engine, QueryResult
from semantic_layer.errors import UserError
from semantic_layer.query import TimeRange
from semantic_layer.spec import Unit

if TYPE_CHECKING:
    from recsight.answering.explain_frame import Frame
    from recsight.answering.explain_rates import Counts

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class Story:
    sentences: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def say(self, sentence: str) -> None:
        self.sentences.append(sentence[:1].upper() + sentence[1:])

    def record(self, name: str, value: Any) -> Any:
        """Keep a computed value under `name` and hand it back unchanged."""
        self.facts[name] = plain(value)
        return value

    def value(self, name: str, value: float, unit: Unit | None) -> str:
        """Record a metric value and format it in its unit (2.37%, $184,000, 28,400)."""
        return format_value(self.record(name, value), unit)

    def pair(
        self, names: tuple[str, str], values: tuple[float, float], unit: Unit | None
    ) -> tuple[str, str]:
        """Record two values and format them so that different values read differently."""
        self.record(names[0], values[0])
        self.record(names[1], values[1])
        return format_pair(values[0], values[1], unit)

    def difference(self, name: str, value: float, unit: Unit | None, signed: bool = False) -> str:
        """Record a gap between two values and format it (1.13 points, $12,000)."""
        return format_difference(self.record(name, value), unit, signed=signed)

    def percent(self, name: str, fraction: float, digits: int = 1, signed: bool = False) -> str:
        """Record a share or relative change and format it as a percentage (47.7%)."""
        return format_percent(self.record(name, fraction), digits=digits, signed=signed)


def explain(engine: Engine, outcome: QueryResult) -> Story:
    from recsight.answering import explain_mix, explain_rates, explain_stats, explain_trend
    from recsight.answering.explain_frame import frame_of

    frame = frame_of(engine.model, outcome)
    story = Story()
    story.record("row_count", len(frame.rows))
    if not frame.rows:
        return story
    if frame.time is not None:
        explain_trend.describe(frame, story, _covered(engine, frame.query.time_range))
        return story
    shown = frame.rows
    unchecked: tuple[Frame, Counts | None] = (frame, None)
    if not frame.categories:
        frame, counts = _optional(story, lambda: explain_rates.fetch(engine, frame), unchecked)
        explain_stats.describe_totals(frame, story)
        explain_rates.check(frame, story, None, counts, shown)
        return story
    mix = _optional(story, lambda: explain_mix.prepare(engine, frame), None)
    derived = explain_rates.from_totals(frame, mix.parts.metric, mix.totals()) if mix else None
    frame, counts = derived or _optional(
        story, lambda: explain_rates.fetch(engine, frame), unchecked
    )
    ranking = explain_stats.describe_breakdown(frame, story)
    significant = explain_rates.check(frame, story, ranking, counts, shown)
    # A lead within chance has nothing for the audience to explain.
    if ranking is not None and significant and mix is not None:
        explain_mix.describe(frame, story, ranking, mix)
    return story


def _optional(story: Story, check: Callable[[], T], fallback: T) -> T:
    """Run one of the explainer's extra queries; if it fails, the answer still stands."""
    try:
        return check()
    except UserError as error:
        log.warning("an explainer check did not run: %s", error)
        story.caveats.append(f"Some checks behind this explanation did not run: {error.message}")
        return fallback


def _covered(engine: Engine, asked: TimeRange | None) -> TimeRange | None:
    """The days both asked for and present in the warehouse."""
    data = engine.warehouse.data_range()
    if asked is None or data is None:
        return asked or (TimeRange(start=data[0], end=data[1]) if data else None)
    start, end = max(asked.start, data[0]), min(asked.end, data[1])
    return TimeRange(start=start, end=end) if start <= end else asked
