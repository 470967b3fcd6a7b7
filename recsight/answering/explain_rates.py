"""Rates of counts (CTR, conversion rate): is the leader's gap more than chance, and which rates
rest on too few events to trust."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from recsight.answering.explain import Story
from recsight.answering.explain_counts import rate_parts, run_counts
from recsight.answering.explain_frame import Frame, value_label
from recsight.answering.explain_stats import Ranking
from recsight.answering.formatting import format_p_value
from recsight.answering.restate import metric_label
from recsight.answering.stats import margin_of_error, two_proportion_test
from recsight.engine import Engine

log = logging.getLogger(__name__)

MAX_ROWS = 60
"""Above this many rows the counts query is skipped: the explanation stays cheap."""
MIN_TRIALS = 100
THIN_MARGIN = 0.25
"""A rate whose 95% margin is wider than this share of the rate itself is called thin."""
_MAX_THIN_LISTED = 3

Key = tuple[Any, ...]
Counts = dict[Key, tuple[float, float]]


def fetch(engine: Engine, frame: Frame) -> tuple[Frame, Counts | None]:
    """One extra query, only when it tells something: every group of a breakdown a limit cut
    (so "the best" can be compared with the runner-up) and the counts behind the primary rate."""
    metric = rate_metric(frame)
    parts = rate_parts(engine.model, metric) if metric else None
    cut = frame.query.limit is not None and len(frame.categories) == 1 and frame.time is None
    if (parts is None and not cut) or len(frame.rows) > MAX_ROWS:
        return frame, None
    query = frame.query.model_copy(update={"limit": None} if cut else {})
    extra = [parts.numerator, parts.denominator] if parts else []
    columns, rows, truncated = run_counts(
        engine, query.model_copy(update={"metrics": [*query.metrics, *extra]}), MAX_ROWS
    )
    if truncated:
        return frame, None
    wide = replace(frame, query=query, columns=columns, rows=rows)
    if parts is None:
        return wide, None
    top, bottom = columns.index(parts.numerator), columns.index(parts.denominator)
    counts = {_key(wide, row): (float(row[top] or 0), float(row[bottom] or 0)) for row in rows}
    return wide, counts


def from_totals(
    frame: Frame, metric: str, totals: dict[Any, tuple[float, float]]
) -> tuple[Frame, Counts] | None:
    """Counts for a one-dimension breakdown taken from totals already fetched (the mix check's).

    A breakdown a limit cut is rebuilt from them only when the rate is its one metric; None
    means the counts query is still needed.
    """
    counts = {(key,): pair for key, pair in totals.items()}
    if frame.query.limit is None:
        return frame, counts
    if frame.metrics != [metric]:
        return None
    rows = [(key, hits / trials if trials else None) for key, (hits, trials) in totals.items()]
    query = frame.query.model_copy(update={"limit": None})
    return replace(
        frame, query=query, columns=[frame.categories[0].column, metric], rows=rows
    ), counts


def check(
    frame: Frame,
    story: Story,
    ranking: Ranking | None,
    counts: Counts | None,
    shown: list[tuple[Any, ...]],
) -> bool | None:
    """Say what the counts support: the leader's significance, or a lone rate's margin; then
    caveat the `shown` rows whose rate rests on too few events. Returns whether the leader's
    gap is significant (None when it could not be tested)."""
    metric = rate_metric(frame)
    if metric is None or counts is None:
        return None
    significant = None
    if ranking is not None and ranking.metric == metric and len(ranking.groups) > 1:
        significant = _significance(frame, story, ranking, metric, counts)
    elif not frame.categories and counts:
        _single_rate(frame, story, metric, next(iter(counts.values())))
    _thin_rates(frame, story, metric, counts, shown)
    return significant


def rate_metric(frame: Frame) -> str | None:
    """The rate to test: the primary metric if it is a proportion, else the first one that is."""
    for metric in [frame.primary_metric(), *frame.metrics]:
        if frame.spec(metric).significance == "proportion":
            return metric
    return None


def _key(frame: Frame, row: tuple[Any, ...]) -> Key:
    return tuple(frame.column(row, ref.column) for ref in frame.query.dimensions)


def _nouns(frame: Frame, metric: str) -> tuple[str, str]:
    spec = frame.spec(metric)
    return (spec.numerator or "").replace("_", " "), (spec.denominator or "").replace("_", " ")


def _significance(
    frame: Frame, story: Story, ranking: Ranking, metric: str, counts: Counts
) -> bool | None:
    first, second = ranking.leader, ranking.runner_up
    mine, theirs = counts.get((first.key,)), counts.get((second.key,))
    if mine is None or theirs is None:
        return None
    test = two_proportion_test(mine[0], mine[1], theirs[0], theirs[1])
    if test is None:
        return None
    successes, trials = _nouns(frame, metric)
    a_hits = _counted(story, "leader_numerator", mine[0], successes)
    a_trials = _counted(story, "leader_denominator", mine[1], trials)
    b_hits = f"{story.record('runner_up_numerator', int(theirs[0])):,}"
    b_trials = f"{story.record('runner_up_denominator', int(theirs[1])):,}"
    z = story.record("z", round(test.z, 2))
    p_text = format_p_value(story.record("p_value", test.p_value))
    story.record("significance", "significant" if test.significant else "not significant")
    evidence = (
        f"{a_hits} on {a_trials} for {first.label} against "
        f"{b_hits} on {b_trials} for {second.label}"
    )
    if test.significant:
        story.say(
            f"The gap between {first.label} and {second.label} is statistically significant "
            f"(z = {z:.2f}, {p_text}): {evidence}."
        )
    else:
        story.say(
            f"The gap between {first.label} and {second.label} is not statistically "
            f"significant (z = {z:.2f}, {p_text}): with {evidence}, it could be chance."
        )
    return test.significant


def _single_rate(frame: Frame, story: Story, metric: str, counts: tuple[float, float]) -> None:
    successes, trials = _nouns(frame, metric)
    hits = _counted(story, "numerator", counts[0], successes)
    total = _counted(story, "denominator", counts[1], trials)
    text = f"That is {hits} on {total}"
    margin = margin_of_error(*counts)
    if margin is not None:
        text += f" (± {story.difference('margin', margin, frame.unit(metric))} at 95%)"
    story.say(f"{text}.")


def _thin_rates(
    frame: Frame, story: Story, metric: str, counts: Counts, shown: list[tuple[Any, ...]]
) -> None:
    """A caveat naming the shown groups whose rate rests on too few events."""
    thin = []
    for row in shown:
        hits, trials = counts.get(_key(frame, row), (0.0, 0.0))
        margin = margin_of_error(hits, trials)
        rate = hits / trials if trials else 0.0
        if trials < MIN_TRIALS or (rate > 0 and (margin or 0) > THIN_MARGIN * rate):
            thin.append((row, hits, trials, margin))
    story.record("thin_groups", len(thin))
    if not thin:
        return
    successes, trials_noun = _nouns(frame, metric)
    unit = frame.unit(metric)
    described = []
    for index, (row, hits, trials, margin) in enumerate(thin[:_MAX_THIN_LISTED]):
        name = (
            " / ".join(value_label(frame.column(row, r.column), r) for r in frame.query.dimensions)
            or "the total"
        )
        text = (
            f"{name} has {_counted(story, f'thin.{index}.numerator', hits, successes)} on "
            f"{_counted(story, f'thin.{index}.denominator', trials, trials_noun)}"
        )
        if margin and hits:
            text += f" (± {story.difference(f'thin.{index}.margin', margin, unit)})"
        described.append(text)
    hidden = len(thin) - _MAX_THIN_LISTED
    more = f"; and {hidden} more group{'s' if hidden > 1 else ''}" if hidden > 0 else ""
    story.caveats.append(
        f"Small sample: {'; '.join(described)}{more}. A {metric_label(metric)} from so few "
        "events swings widely; widen the time range or drop a filter before trusting the "
        "difference."
    )


def _counted(story: Story, name: str, count: float, noun: str) -> str:
    """Record a count and say it with its noun: "1 click", "38,500 clicks"."""
    whole = story.record(name, int(count))
    return f"{whole:,} {noun[:-1] if whole == 1 and noun.endswith('s') else noun}"
