"""The segment-mix check: is the leader better, or just shown to a different audience?

When groups of an impressions-side dimension (algorithm, model version, placement) are compared
on a rate, the rate's counts are fetched by group and customer segment with one compiled query.
The check reports how each group's audience differs and whether the lead survives inside every
segment (or flips: Simpson's paradox).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from recsight.answering.explain import Story
from recsight.answering.explain_counts import RateParts, rate_parts, run_counts
from recsight.answering.explain_frame import Frame, dimension_label
from recsight.answering.explain_segments import is_fact_side, segment_dimensions
from recsight.answering.explain_stats import Group, Ranking
from recsight.answering.restate import metric_label
from recsight.answering.stats import two_proportion_test
from recsight.engine import Engine
from semantic_layer.query import DimensionRef, SemanticQuery

log = logging.getLogger(__name__)

MAX_GROUPS = 12
MIN_TRIALS = 100
"""Segments where a group has fewer trials than this are left out of the check: noise, not news."""
SIMILAR_MIX = 0.02
MAX_QUERY_ROWS = 2_000


@dataclass
class _Segment:
    """One segment dimension's counts: numerator and denominator per group and segment value."""

    dimension: str
    counts: dict[Any, dict[Any, list[float]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    )


@dataclass(frozen=True)
class MixCheck:
    """The rate's counts by compared group and by each segment dimension, from one query."""

    parts: RateParts
    dimension: str
    segments: list[_Segment]

    def totals(self) -> dict[Any, tuple[float, float]]:
        """Each group's numerator and denominator: every segment value summed, unknown too."""
        cells = self.segments[0].counts
        return {
            group: (sum(c[0] for c in by_value.values()), sum(c[1] for c in by_value.values()))
            for group, by_value in cells.items()
        }


def prepare(engine: Engine, frame: Frame) -> MixCheck | None:
    """Run the segment query when the answer compares fact-side groups on a rate, else None.

    Its counts also give each group's totals, so the explainer needs no other query.
    """
    model = engine.model
    metric = frame.primary_metric()
    parts = rate_parts(model, metric)
    if parts is None or model.metrics[metric].significance != "proportion":
        return None
    if len(frame.categories) != 1 or frame.time is not None or frame.query.having:
        return None
    compared = frame.categories[0].name
    if not is_fact_side(model, compared):
        return None
    if len(frame.rows) > MAX_GROUPS or not frame.rows:
        return None
    dimensions = segment_dimensions(engine, parts.metric, compared, frame.query)
    if not dimensions:
        return None
    log.debug("mix check of %s by %s across %s", metric, compared, dimensions)
    segments = _fetch(engine, frame, parts, compared, dimensions)
    return MixCheck(parts, compared, segments) if segments else None


def describe(frame: Frame, story: Story, ranking: Ranking, check: MixCheck) -> None:
    """Each top group's audience, and whether the leader wins inside every segment."""
    if ranking.metric != check.parts.metric or not 2 <= len(ranking.groups) <= MAX_GROUPS:
        return
    _describe(frame, story, check.parts, ranking, check.segments)


def _fetch(
    engine: Engine, frame: Frame, parts: RateParts, compared: str, dimensions: list[str]
) -> list[_Segment]:
    query = SemanticQuery(
        metrics=[parts.numerator, parts.denominator],
        dimensions=[DimensionRef(name=compared), *(DimensionRef(name=d) for d in dimensions)],
        filters=frame.query.filters,
        where=frame.query.where,
        time_range=frame.query.time_range,
    )
    columns, rows, truncated = run_counts(engine, query, MAX_QUERY_ROWS)
    if truncated:
        return []
    segments = [_Segment(d) for d in dimensions]
    top, bottom = columns.index(parts.numerator), columns.index(parts.denominator)
    group_at = columns.index(compared)
    for row in rows:
        for segment in segments:
            cell = segment.counts[row[group_at]][row[columns.index(segment.dimension)]]
            cell[0] += float(row[top] or 0)
            cell[1] += float(row[bottom] or 0)
    return segments


@dataclass
class _Flip:
    """A segment value where another group beats the overall leader."""

    dimension: str
    value: Any
    best: Group
    real: bool
    """Whether the reversal is statistically significant (else it is within chance)."""
    text: str


def _describe(
    frame: Frame, story: Story, parts: RateParts, ranking: Ranking, segments: list[_Segment]
) -> None:
    trials = (frame.spec(parts.metric).denominator or "").replace("_", " ")
    checked: dict[str, int] = {}
    flips: list[_Flip] = []
    narrowest: tuple[float, str] | None = None
    for segment in segments:
        values = _values(segment, ranking)
        if len(values) < 2:
            continue
        _record(story, segment, ranking, values)
        story.say(_mix_sentence(story, segment, ranking, values, trials))
        checked[segment.dimension] = len(values)
        for value in values:
            best, gap = _best_in(segment, ranking, value, frame.spec(parts.metric).higher_is_better)
            if best.key != ranking.leader.key:
                flips.append(_flip(story, frame, segment, ranking.leader, value, best))
            elif narrowest is None or gap < narrowest[0]:
                narrowest = (gap, str(value))
    if not checked:
        return
    story.record("mix.checked", [dimension_label(d) for d in checked])
    story.record("mix.holds", not flips)
    story.say(_verdict(story, frame, ranking, checked, flips, narrowest))


def _values(segment: _Segment, ranking: Ranking) -> list[Any]:
    """Segment values every shown group has enough trials in (unknown values left out)."""
    found = {v for per_value in segment.counts.values() for v in per_value if v is not None}
    return sorted(
        (
            v
            for v in found
            if all(segment.counts[g.key][v][1] >= MIN_TRIALS for g in ranking.groups)
        ),
        key=str,
    )


def _rate(segment: _Segment, group: Any, value: Any) -> float:
    hits, trials = segment.counts[group][value]
    return hits / trials if trials else 0.0


def _share(segment: _Segment, group: Any, value: Any) -> float:
    total = sum(cell[1] for cell in segment.counts[group].values())
    return segment.counts[group][value][1] / total if total else 0.0


def _record(story: Story, segment: _Segment, ranking: Ranking, values: list[Any]) -> None:
    for group in ranking.groups:
        for value in values:
            prefix = f"mix.{segment.dimension}.{value}.{group.label}"
            story.record(f"{prefix}.share", _share(segment, group.key, value))
            story.record(f"{prefix}.rate", _rate(segment, group.key, value))


def _mix_sentence(
    story: Story, segment: _Segment, ranking: Ranking, values: list[Any], trials: str
) -> str:
    """The segment value where the top two groups' audiences differ most."""
    leader, runner = ranking.leader, ranking.runner_up
    # Two values differ equally when there are two; then name the one the leader leans to.
    value = max(
        values,
        key=lambda v: (
            round(abs(_share(segment, leader.key, v) - _share(segment, runner.key, v)), 9),
            _share(segment, leader.key, v),
        ),
    )
    mine, theirs = _share(segment, leader.key, value), _share(segment, runner.key, value)
    digits = 0 if abs(mine - theirs) >= SIMILAR_MIX else 1
    prefix = f"mix.{segment.dimension}.{value}"
    a = story.percent(f"{prefix}.{leader.label}.share", mine, digits=digits)
    b = story.percent(f"{prefix}.{runner.label}.share", theirs, digits=digits)
    if abs(mine - theirs) < SIMILAR_MIX:
        return (
            f"{leader.label} and {runner.label} reach a similar "
            f"{dimension_label(segment.dimension)} mix ({a} vs {b} {value})."
        )
    return f"{leader.label}'s {trials} are {a} {value} vs {b} for {runner.label}."


def _best_in(segment: _Segment, ranking: Ranking, value: Any, high: bool) -> tuple[Group, float]:
    """The group with the best rate inside one segment value, and the leader's lead there."""
    rates = {g.key: _rate(segment, g.key, value) for g in ranking.groups}
    best = (max if high else min)(ranking.groups, key=lambda g: rates[g.key])
    others = [rates[g.key] for g in ranking.groups if g.key != ranking.leader.key]
    return best, abs(rates[ranking.leader.key] - (max(others) if high else min(others)))


def _flip(
    story: Story, frame: Frame, segment: _Segment, leader: Group, value: Any, best: Group
) -> _Flip:
    hits, trials = segment.counts[best.key][value]
    own_hits, own_trials = segment.counts[leader.key][value]
    test = two_proportion_test(hits, trials, own_hits, own_trials)
    real = test is not None and test.significant
    unit = frame.unit(frame.primary_metric())
    prefix = f"mix.{segment.dimension}.{value}"
    theirs = story.value(f"{prefix}.{best.label}.rate", _rate(segment, best.key, value), unit)
    mine = story.value(f"{prefix}.{leader.label}.rate", _rate(segment, leader.key, value), unit)
    text = f"among {value}, {best.label} is ahead at {theirs} vs {mine} for {leader.label}"
    return _Flip(segment.dimension, value, best, real, text)


def _verdict(
    story: Story,
    frame: Frame,
    ranking: Ranking,
    checked: dict[str, int],
    flips: list[_Flip],
    narrowest: tuple[float, str] | None,
) -> str:
    leader, label = ranking.leader.label, metric_label(ranking.metric)
    where = " and ".join(dimension_label(d) for d in checked)
    real = [f for f in flips if f.real]
    story.record("mix.flips", [f"{f.dimension}={f.value}" for f in real])
    everywhere = [d for d in checked if sum(f.dimension == d for f in real) == checked[d]]
    if everywhere:
        names = " and ".join(dimension_label(d) for d in everywhere)
        inside = "; ".join(f.text for f in real if f.dimension in everywhere)
        story.record("mix.simpsons_paradox", True)
        return (
            f"Simpson's paradox: {leader} leads on {label} overall but trails inside every "
            f"{names} segment ({inside}), so its overall lead comes from who it is shown to, "
            "not from doing better."
        )
    if real:
        return (
            f"The ranking does not hold inside every segment: {'; '.join(f.text for f in real)}. "
            f"Part of {leader}'s overall lead comes from its audience mix."
        )
    if flips:
        return (
            f"{leader} leads on {label} in most {where} segments; "
            f"{'; '.join(f.text for f in flips)}, a difference within chance."
        )
    text = (
        f"{leader} leads on {label} inside every {where} segment, so the gap is not just its "
        "audience"
    )
    if narrowest is not None:
        gap = story.difference("mix.narrowest_lead", narrowest[0], frame.unit(ranking.metric))
        story.record("mix.narrowest_segment", narrowest[1])
        text += f" (its narrowest lead is {gap}, among {narrowest[1]})"
    return text + "."
