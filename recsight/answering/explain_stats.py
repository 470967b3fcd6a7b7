"""Who leads a breakdown and by how much; what a single-row result says."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from recsight.answering.explain import Story
from recsight.answering.explain_frame import Frame, dimension_label, sentence_case, value_label
from recsight.answering.restate import metric_label
from semantic_layer.spec import Unit

_MAX_SEGMENTS_LISTED = 6


@dataclass(frozen=True)
class Group:
    key: Any
    """The dimension value as the warehouse returned it."""
    label: str
    value: float


@dataclass(frozen=True)
class Ranking:
    """The groups of a one-dimension breakdown, best first on `metric`."""

    metric: str
    dimension: str
    groups: list[Group]

    @property
    def leader(self) -> Group:
        return self.groups[0]

    @property
    def runner_up(self) -> Group:
        return self.groups[1]


def rank(frame: Frame, metric: str, rows: list[tuple[Any, ...]] | None = None) -> list[Group]:
    """Groups of the first categorical dimension, best first; rows without a value are left out."""
    ref = frame.categories[0]
    groups = [
        Group(frame.column(row, ref.column), value_label(frame.column(row, ref.column), ref), value)
        for row in (frame.rows if rows is None else rows)
        if (value := frame.number(row, metric)) is not None
    ]
    best_high = frame.spec(metric).higher_is_better
    return sorted(groups, key=lambda g: g.value, reverse=best_high)


def describe_breakdown(frame: Frame, story: Story) -> Ranking | None:
    metric = frame.primary_metric()
    if len(frame.categories) == 1:
        ranking = Ranking(metric, frame.categories[0].name, rank(frame, metric))
        if not _lead_sentences(frame, story, ranking):
            return None
        _other_leaders(frame, story, ranking)
        return ranking
    if len(frame.categories) == 2:
        _leaders_by_segment(frame, story, metric)
    else:
        _top_cell(frame, story, metric)
    return None


def describe_totals(frame: Frame, story: Story) -> None:
    """A single row: state each metric."""
    row = frame.rows[0]
    parts = []
    for metric in frame.metrics:
        value = frame.number(row, metric)
        if value is not None:
            parts.append((metric_label(metric), story.value(metric, value, frame.unit(metric))))
    if len(parts) == 1:
        story.say(f"{sentence_case(parts[0][0])} was {parts[0][1]}.")
    elif parts:
        story.say(f"Totals: {_join([f'{name} {shown}' for name, shown in parts])}.")


def _lead_sentences(frame: Frame, story: Story, ranking: Ranking) -> bool:
    metric, unit, label = ranking.metric, frame.unit(ranking.metric), metric_label(ranking.metric)
    groups = ranking.groups
    story.record("metric", metric)
    if not groups:
        return False
    first = groups[0]
    story.record("leader", first.label)
    if len(groups) == 1:
        shown = story.value("leader_value", first.value, unit)
        story.say(f"Only {first.label} has a {label}: {shown}.")
        return False
    second = groups[1]
    story.record("runner_up", second.label)
    top, next_ = story.pair(("leader_value", "runner_up_value"), (first.value, second.value), unit)
    gap = abs(first.value - second.value)
    if gap == 0:
        story.say(f"{first.label} and {second.label} are tied on {label} at {top}.")
        return True
    above = "above" if frame.spec(metric).higher_is_better else "below"
    text = f"{first.label} leads on {label} at {top}, {story.difference('gap', gap, unit)}"
    if second.value:
        text += f" ({story.percent('gap_relative', gap / abs(second.value))})"
    story.say(f"{text} {above} {second.label} at {next_}.")
    if len(groups) > 2:
        last = groups[-1]
        story.record("last", last.label)
        shown = story.value("last_value", last.value, unit)
        count = story.record("group_count", len(groups))
        story.say(f"{last.label} is last of {count} at {shown}.")
    _leader_share(frame, story, ranking)
    return True


def _leader_share(frame: Frame, story: Story, ranking: Ranking) -> None:
    """For a count or sum over a complete breakdown, the leader's share of the whole."""
    spec = frame.spec(ranking.metric)
    measure = frame.model.measures.get(spec.measure or "")
    complete = not frame.query.limit and not frame.query.having
    if spec.type != "simple" or measure is None or measure.agg not in ("count", "sum"):
        return
    total = sum(g.value for g in ranking.groups)
    if complete and total > 0 and ranking.leader.value >= 0:
        share = story.percent("leader_share", ranking.leader.value / total)
        story.say(
            f"{ranking.leader.label} accounts for {share} of all {metric_label(ranking.metric)}."
        )


def _other_leaders(frame: Frame, story: Story, ranking: Ranking) -> None:
    """Which group tops each of the query's other metrics, in one sentence."""
    tops: dict[str, list[str]] = defaultdict(list)
    for metric in frame.metrics:
        if metric == ranking.metric:
            continue
        groups = rank(frame, metric)
        if len(groups) > 1 and groups[0].value != groups[1].value:
            tops[story.record(f"top.{metric}", groups[0].label)].append(metric_label(metric))
    if not tops:
        return
    parts = [f"{who} is top on {_join(metrics)}" for who, metrics in tops.items()]
    story.say(sentence_case(_join(parts, "; ")) + ".")


def _leaders_by_segment(frame: Frame, story: Story, metric: str) -> None:
    """Two dimensions: does the same group lead inside every value of the second one?"""
    segment = frame.categories[1]
    unit, label = frame.unit(metric), metric_label(metric)
    by_segment: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    for row in frame.rows:
        # Rows with no segment value (an untracked customer) belong to no segment.
        if frame.column(row, segment.column) is not None:
            by_segment[frame.column(row, segment.column)].append(row)
    leaders: dict[str, tuple[Group, Group | None]] = {}
    for key, rows in by_segment.items():
        groups = rank(frame, metric, rows)
        if groups:
            second = groups[1] if len(groups) > 1 else None
            leaders[value_label(key, segment)] = (groups[0], second)
    segment_name = dimension_label(segment.name)
    names = {first.label for first, _ in leaders.values()}
    if len(names) == 1 and len(leaders) > 1:
        winner = names.pop()
        story.record("leader", winner)
        listed = _join(sorted(leaders)[:_MAX_SEGMENTS_LISTED])
        story.say(f"{winner} leads on {label} in every {segment_name} ({listed}).")
        _widest_lead(story, leaders, unit)
    elif leaders:
        parts = []
        for name, (first, _) in list(leaders.items())[:_MAX_SEGMENTS_LISTED]:
            shown = story.value(f"leader_value.{name}", first.value, unit)
            story.record(f"leader.{name}", first.label)
            parts.append(f"{first.label} in {name} ({shown})")
        story.say(f"The leader on {label} differs by {segment_name}: {_join(parts, '; ')}.")
    _top_cell(frame, story, metric)


def _widest_lead(story: Story, leaders: dict[str, tuple[Group, Group | None]], unit: Unit) -> None:
    gaps = {name: first.value - second.value for name, (first, second) in leaders.items() if second}
    if len(gaps) < 2:
        return
    name = max(gaps, key=lambda n: abs(gaps[n]))
    first, second = leaders[name]
    assert second is not None
    story.record("widest_lead_segment", name)
    gap = story.difference("widest_lead_gap", abs(gaps[name]), unit)
    top = story.value("widest_lead_value", first.value, unit)
    other = story.value("widest_lead_runner_up_value", second.value, unit)
    story.say(f"Its lead is widest in {name}: {top} against {other} for {second.label} ({gap}).")


def _top_cell(frame: Frame, story: Story, metric: str) -> None:
    valued = [row for row in frame.rows if frame.number(row, metric) is not None]
    if not valued:
        return
    best_high = frame.spec(metric).higher_is_better
    row = (max if best_high else min)(valued, key=lambda r: frame.number(r, metric) or 0.0)
    labels = [value_label(frame.column(row, ref.column), ref) for ref in frame.categories]
    story.record("best_cell", " / ".join(labels))
    shown = story.value("best_cell_value", frame.number(row, metric) or 0.0, frame.unit(metric))
    word = "highest" if best_high else "lowest"
    story.say(f"The {word} {metric_label(metric)} is {' with '.join(labels)} at {shown}.")


def _join(parts: list[str], separator: str = ", ") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    if separator != ", ":
        return separator.join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
