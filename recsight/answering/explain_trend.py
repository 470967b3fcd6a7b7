"""A metric over time: which way it went, how fast, and its biggest move."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from recsight.answering.explain import Story
from recsight.answering.explain_frame import (
    Frame,
    at_period,
    period_label,
    sentence_case,
    value_label,
)
from recsight.answering.restate import metric_label
from recsight.answering.stats import slope
from semantic_layer.query import TimeRange
from semantic_layer.spec import Grain, Unit

MAX_SERIES_DESCRIBED = 6
FLAT = 0.01
"""A fitted change smaller than this share of the mean over the whole span counts as flat."""

Series = list[tuple[date, float]]


def describe(frame: Frame, story: Story, span: TimeRange | None) -> None:
    assert frame.time is not None
    metric = frame.primary_metric()
    series = _series(frame, metric)
    story.record("metric", metric)
    partial = _partial_periods(frame, series, span)
    whole = {name: [p for p in points if p[0] not in partial] for name, points in series.items()}
    # A cut week or month holds fewer days, so the trend compares whole periods when it can.
    if partial and all(len(points) >= 2 for points in whole.values()):
        series = whole
        note = f", so the trend compares whole {_grain(frame).value}s only"
    else:
        note = ""
    if len(series) == 1:
        _one_series(frame, story, metric, next(iter(series.values())))
    else:
        _many_series(frame, story, metric, series)
    for day, (first, last) in sorted(partial.items()):
        name = period_label(day, _grain(frame))
        days = f"{first}" if first == last else f"{first} to {last}"
        story.caveats.append(
            f"{sentence_case(name)} is partial (only {days} falls inside the time range "
            f"and the data){note}."
        )


def _series(frame: Frame, metric: str) -> dict[str, Series]:
    assert frame.time is not None
    found: dict[str, Series] = defaultdict(list)
    for row in frame.rows:
        value = frame.number(row, metric)
        when = frame.column(row, frame.time.column)
        if value is None or when is None:
            continue
        name = " / ".join(value_label(frame.column(row, r.column), r) for r in frame.categories)
        found[name].append((_day(when), value))
    return {name: sorted(points) for name, points in found.items()}


def _one_series(frame: Frame, story: Story, metric: str, points: Series) -> None:
    grain = _grain(frame)
    unit, label = frame.unit(metric), metric_label(metric)
    if len(points) < 2:
        ((when, value),) = points
        shown = story.value("value", value, unit)
        story.say(f"{label} was {shown} {at_period(when, grain)}: one period, no trend.")
        return
    (start, first), (end, last) = points[0], points[-1]
    story.record("first_period", start)
    story.record("last_period", end)
    change = last - first
    text = (
        f"{label} {_verb(change)} from {story.value('first_value', first, unit)} "
        f"{at_period(start, grain)} to {story.value('last_value', last, unit)} "
        f"{at_period(end, grain)} ({story.difference('change', change, unit, signed=True)}"
    )
    if first:
        text += f", {story.percent('change_relative', change / abs(first), signed=True)}"
    story.say(text + ").")
    values = [v for _, v in points]
    fitted = slope(values)
    direction = story.record("trend", _direction(fitted, values))
    step = grain.value if grain != Grain.day else "day"
    story.say(
        f"Over {story.record('period_count', len(points))} {step}s the fitted trend is {direction} "
        f"({story.difference('slope', fitted, unit, signed=True)} per {step})."
    )
    if len(points) >= 3:
        _biggest_move(story, points, unit, grain)


def _biggest_move(story: Story, points: Series, unit: Unit, grain: Grain) -> None:
    moves = [(points[i + 1][1] - points[i][1], i) for i in range(len(points) - 1)]
    move, index = max(moves, key=lambda m: abs(m[0]))
    before, after = points[index][0], points[index + 1][0]
    story.record("biggest_change_from", before)
    story.record("biggest_change_to", after)
    high = max(points, key=lambda p: p[1])
    low = min(points, key=lambda p: p[1])
    story.record("peak_period", high[0])
    story.record("low_period", low[0])
    story.say(
        f"The biggest move was {story.difference('biggest_change', move, unit, signed=True)}, "
        f"from {period_label(before, grain)} to {period_label(after, grain)}; the high was "
        f"{story.value('peak_value', high[1], unit)} {at_period(high[0], grain)} and the "
        f"low {story.value('low_value', low[1], unit)} {at_period(low[0], grain)}."
    )


def _many_series(frame: Frame, story: Story, metric: str, series: dict[str, Series]) -> None:
    grain = _grain(frame)
    unit, label = frame.unit(metric), metric_label(metric)
    moves = {
        name: (points[0][1], points[-1][1]) for name, points in series.items() if len(points) > 1
    }
    # With many series, the ones that moved most are the ones worth a sentence.
    biggest = sorted(moves, key=lambda n: abs(moves[n][1] - moves[n][0]), reverse=True)
    chosen = [n for n in moves if n in biggest[:MAX_SERIES_DESCRIBED]]
    described = []
    for name in chosen:
        first, last = moves[name]
        a = story.value(f"{name}.first_value", first, unit)
        b = story.value(f"{name}.last_value", last, unit)
        change = story.difference(f"{name}.change", last - first, unit, signed=True)
        described.append(f"{name} {_verb(last - first)} from {a} to {b} ({change})")
    if described:
        start = min(p[0][0] for p in series.values())
        end = max(p[-1][0] for p in series.values())
        shown, total = story.record("series_described", len(chosen)), len(moves)
        which = f" ({shown} of {story.record('series_count', total)} series, the largest changes)"
        story.say(
            f"From {period_label(start, grain)} to {period_label(end, grain)}, {label}"
            f"{which if shown < total else ''}: " + "; ".join(described) + "."
        )
    _last_period_leader(frame, story, metric, series)


def _last_period_leader(frame: Frame, story: Story, metric: str, series: dict[str, Series]) -> None:
    end = max(points[-1][0] for points in series.values())
    latest = [(name, points[-1][1]) for name, points in series.items() if points[-1][0] == end]
    if len(latest) < 2:
        return
    high = frame.spec(metric).higher_is_better
    latest.sort(key=lambda item: item[1], reverse=high)
    (first, a), (second, b) = latest[0], latest[1]
    unit = frame.unit(metric)
    story.record("last_period", end)
    story.record("last_period_leader", first)
    story.say(
        f"{sentence_case(at_period(end, _grain(frame)))}, {first} leads at "
        f"{story.value('last_period_leader_value', a, unit)}, "
        f"{story.difference('last_period_gap', abs(a - b), unit)} ahead of {second} at "
        f"{story.value('last_period_runner_up_value', b, unit)}."
    )


def _partial_periods(
    frame: Frame, series: dict[str, Series], span: TimeRange | None
) -> dict[date, tuple[date, date]]:
    """Edge periods the time range cuts, with the days of each that it keeps."""
    grain = _grain(frame)
    if span is None or grain == Grain.day or not series:
        return {}
    starts = sorted({day for points in series.values() for day, _ in points})
    cut = {}
    for day in {starts[0], starts[-1]}:
        end = _period_end(day, grain)
        if day < span.start or end > span.end:
            cut[day] = (max(day, span.start), min(end, span.end))
    return cut


def _period_end(day: date, grain: Grain) -> date:
    if grain == Grain.week:
        return day + timedelta(days=6)
    if grain == Grain.month:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if grain == Grain.quarter:
        month = day.month + 2
        return date(day.year, month, calendar.monthrange(day.year, month)[1])
    return date(day.year, 12, 31)


def _direction(fitted: float, values: list[float]) -> str:
    mean = sum(abs(v) for v in values) / len(values)
    if mean == 0 or abs(fitted) * (len(values) - 1) < FLAT * mean:
        return "flat"
    return "upward" if fitted > 0 else "downward"


def _verb(change: float) -> str:
    return "rose" if change > 0 else "fell" if change < 0 else "held steady"


def _grain(frame: Frame) -> Grain:
    assert frame.time is not None
    return frame.time.grain or Grain.day


def _day(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value
