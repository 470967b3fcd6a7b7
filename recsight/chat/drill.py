"""'Why?': the same metric by the compared dimension and a customer or product segment, limited to
the groups behind the leading gap, and sentences saying whether the gap holds in every segment."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from recsight.answering.answer import Answer
from recsight.answering.formatting import format_value
from recsight.answering.restate import metric_label
from semantic_layer.catalog import dimensions_for
from semantic_layer.errors import PlanningError, unknown_name
from semantic_layer.query import DimensionRef, Filter, SemanticQuery
from semantic_layer.spec import SemanticModel

SEGMENTS = ("customer_type", "clv_tier", "category", "device", "placement", "region")


@dataclass(frozen=True)
class Drill:
    query: SemanticQuery
    metric: str
    segment: str
    compared: str | None = None
    """The dimension whose groups the last answer compared (None when it had none)."""
    focus: tuple[Any, ...] = ()
    """The leading group and the runner-up, in that order; only the leader after a 'top 1'."""
    higher_is_better: bool = True


def drill(previous: Answer, model: SemanticModel, segment: str | None = None) -> Drill:
    query = previous.query
    if query is None:
        raise PlanningError(
            "'why?' needs an answer from the semantic layer; the last one ran model-written SQL."
        )
    metric = query.metrics[0]
    chosen = _segment(model, query, segment)
    categorical = [d for d in query.dimensions if model.dimensions[d.name].type != "time"]
    if not categorical:
        drilled = query.model_copy(
            update={"dimensions": [DimensionRef(name=chosen)], "order_by": [], "limit": None}
        )
        return Drill(drilled, metric, chosen)
    compared = categorical[0]
    better = model.metrics[metric].higher_is_better
    focus = _leaders(previous, compared.column, metric, better)
    filters = [f for f in query.filters if f.dimension != compared.name]
    if len(focus) == 2:
        filters.append(Filter(dimension=compared.name, operator="in", values=list(focus)))
    # With one group shown ('which is best'), every group is queried to find the runner-up.
    drilled = query.model_copy(
        update={
            "dimensions": [compared, DimensionRef(name=chosen)],
            "filters": filters,
            "order_by": [],
            "limit": None,
        }
    )
    return Drill(drilled, metric, chosen, compared.column, focus, better)


def _segment(model: SemanticModel, query: SemanticQuery, asked: str | None) -> str:
    fitting = dimensions_for(model, query.metrics)
    if asked:
        if asked not in fitting:
            raise PlanningError(
                unknown_name("dimension", asked, fitting, where="for these metrics")
            )
        return asked
    used = {d.name for d in query.dimensions}
    fixed = {f.dimension for f in query.filters if f.operator == "=" or len(f.values) == 1}
    for name in SEGMENTS:
        if name in fitting and name not in used | fixed:
            return name
    raise PlanningError(
        "Every segment I would drill into is already in the question.",
        hint="Name one: why? by brand",
    )


def _leaders(answer: Answer, column: str, metric: str, higher_is_better: bool) -> tuple[Any, ...]:
    """The best two groups; rows split by other dimensions are averaged only to pick them."""
    position, value = answer.columns.index(column), answer.columns.index(metric)
    seen: dict[Any, list[float]] = defaultdict(list)
    for row in answer.rows:
        if isinstance(row[value], int | float):
            seen[row[position]].append(float(row[value]))
    if not seen:
        raise PlanningError(
            "The last answer has no numbers to explain.", hint="Ask a question first."
        )
    ranked = sorted(seen, key=lambda k: sum(seen[k]) / len(seen[k]), reverse=higher_is_better)
    return tuple(ranked[:2])


def gap_sentences(answer: Answer, plan: Drill) -> list[str]:
    """Where the leader's gap is widest, and whether it holds inside every segment."""
    unit = answer.units.get(plan.metric)
    label = metric_label(plan.metric)
    by_segment = _table(answer, plan)
    segment_name = plan.segment.replace("_", " ")
    if plan.compared is None or not plan.focus:
        return _spread_sentence(label, unit, plan.segment, by_segment)
    leader = plan.focus[0]
    gaps = _gaps(by_segment, leader, plan.focus[1:], plan.higher_is_better)
    if not gaps:
        return [f"No {segment_name} has {leader} and another group to compare."]
    if len(plan.focus) == 2:
        heading = f"{label} of {leader} vs {plan.focus[1]} by {segment_name}: "
        parts = [f"{_name(s, segment_name)} {_gap(g, unit)}" for s, (g, _) in gaps.items()]
    else:
        heading = f"{label} of {leader} vs the next best by {segment_name}: "
        parts = [
            f"{_name(s, segment_name)} {_gap(g, unit)} ({other})" for s, (g, other) in gaps.items()
        ]
    sentences = [heading + "; ".join(parts) + "."]
    ahead = [s for s, (g, _) in gaps.items() if (g > 0) == plan.higher_is_better and g != 0]
    if len(ahead) == len(gaps):
        widest = max(gaps, key=lambda s: abs(gaps[s][0]))
        sentences.append(
            f"{leader} leads in every {segment_name}, so the gap is not just a difference in mix; "
            f"it is widest for {_name(widest, segment_name)} ({_gap(gaps[widest][0], unit)})."
        )
    else:
        behind = ", ".join(_name(s, segment_name) for s in gaps if s not in ahead)
        sentences.append(
            f"{leader} does not lead everywhere (behind or level in {behind}): part of the overall "
            f"gap comes from who sees each {plan.compared.replace('_', ' ')}."
        )
    return sentences


def _name(value: Any, dimension: str) -> str:
    """A segment as written in a sentence; rows with no value (anonymous visitors) say so."""
    return f"no {dimension}" if value is None else str(value)


def _gaps(
    table: dict[Any, dict[Any, float]], leader: Any, runner: tuple[Any, ...], better: bool
) -> dict[Any, tuple[float, Any]]:
    """Per segment: the leader minus the runner-up (or the best other group), and who that is."""
    gaps: dict[Any, tuple[float, Any]] = {}
    for segment, values in table.items():
        others = {k: v for k, v in values.items() if k != leader and (not runner or k in runner)}
        if leader not in values or not others:
            continue
        pick = max if better else min
        other = pick(others, key=lambda k: others[k])
        gaps[segment] = (values[leader] - others[other], other)
    return gaps


def _table(answer: Answer, plan: Drill) -> dict[Any, dict[Any, float]]:
    segment = answer.columns.index(plan.segment)
    value = answer.columns.index(plan.metric)
    group = answer.columns.index(plan.compared) if plan.compared else None
    table: dict[Any, dict[Any, float]] = defaultdict(dict)
    for row in answer.rows:
        if isinstance(row[value], int | float):
            table[row[segment]][row[group] if group is not None else None] = float(row[value])
    return table


def _gap(gap: float, unit: Any) -> str:
    if unit == "percent":
        return f"{gap * 100:+.2f} pts"
    sign = "+" if gap >= 0 else "-"
    return sign + format_value(abs(gap), unit)


def _spread_sentence(
    label: str, unit: Any, segment: str, table: dict[Any, dict[Any, float]]
) -> list[str]:
    values = {s: v[None] for s, v in table.items() if None in v}
    if not values:
        return []
    high = max(values, key=lambda s: values[s])
    low = min(values, key=lambda s: values[s])
    return [
        f"{label} by {segment.replace('_', ' ')} ranges from {format_value(values[low], unit)} "
        f"({low}) to {format_value(values[high], unit)} ({high})."
    ]
