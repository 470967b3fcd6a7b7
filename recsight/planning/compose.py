"""Compose a semantic query from a Reading: which values filter, which group, what is ranked."""

from __future__ import annotations

from recsight.planning.base import PlanContext
from recsight.planning.reading import Reading
from semantic_layer.catalog import dimensions_for
from semantic_layer.errors import PlanningError
from semantic_layer.query import DimensionRef, Filter, OrderBy, Scalar, SemanticQuery
from semantic_layer.spec import Grain, SemanticModel

_PLURAL_GRAINS = frozenset({"hours", "days", "weeks", "months", "weekdays"})


def build_query(reading: Reading, context: PlanContext) -> SemanticQuery:
    model = reading.model
    metrics = reading.metrics or _default_metrics(reading, context)
    filters = list(reading.filters)
    for dimension, found in reading.values.items():
        filters += _value_filters(reading, dimension, found)
    dimensions = [DimensionRef(name=d) for d in reading.dimensions]
    grain = _grain(reading)
    if grain is not None:
        dimensions.append(DimensionRef(name=model.time_dimension, grain=grain))
    _check_fit(model, metrics, dimensions, filters)

    order, limit = _ranking(reading, metrics, dimensions)
    if context.previous is not None and not reading.metrics:
        return _follow_up(context.previous, reading, dimensions, filters, order, limit)
    return SemanticQuery(
        metrics=metrics,
        dimensions=dimensions,
        filters=filters,
        having=reading.having,
        time_range=reading.time.time_range,
        order_by=order,
        limit=limit,
    )


def _value_filters(reading: Reading, dimension: str, found: list[tuple[str, bool]]) -> list[Filter]:
    kept: list[Scalar] = list(dict.fromkeys(v for v, excluded in found if not excluded))
    dropped: list[Scalar] = list(dict.fromkeys(v for v, excluded in found if excluded))
    named_dim = dimension in reading.dimensions
    if len(kept) >= 2 and not reading.combine and not named_dim:
        reading.dimensions.append(dimension)  # "new or repeat", "cf vs nn": one row each
        named_dim = True
    if len(kept) == 1 and reading.wins_for(dimension) and not named_dim:
        reading.dimensions.append(dimension)  # "does the neural net still win?": against peers
        return []
    filters: list[Filter] = []
    # "the neural network vs the other algorithms", "all three algorithms", "the neural
    # network's lead ... by algorithm": every row stays.
    keep_all = named_dim and (
        dimension in reading.all_values
        or (len(kept) == 1 and (reading.compare or dimension in reading.cued))
    )
    if kept and not keep_all:
        filters.append(
            Filter(dimension=dimension, operator="in" if len(kept) > 1 else "=", values=kept)
        )
    if dropped:
        filters.append(
            Filter(
                dimension=dimension, operator="not in" if len(dropped) > 1 else "!=", values=dropped
            )
        )
    return filters


def _ranking(
    reading: Reading, metrics: list[str], dimensions: list[DimensionRef]
) -> tuple[list[OrderBy], int | None]:
    limit = reading.limit
    if reading.order is None:
        if limit is None:
            return [], None
        return [OrderBy(field=metrics[0], descending=True)], limit
    field = metrics[0]
    descending = reading.order == "desc"
    plural = reading.plural_group or bool(reading.words() & _PLURAL_GRAINS)
    if limit is None and dimensions and not plural and not reading.rank_all:
        limit = 1  # "which placement has the lowest CVR": the one placement
    return [OrderBy(field=field, descending=descending)], limit


def _default_metrics(reading: Reading, context: PlanContext) -> list[str]:
    model = reading.model
    if context.previous is not None:
        return list(context.previous.metrics)
    if reading.overview:
        return list(model.overview_metrics)
    if model.headline_metric and (
        reading.headline or reading.dimensions or reading.values or reading.order
    ):
        return [model.headline_metric]
    named = list(reading.dimensions) + list(reading.values)
    what = f" about {', '.join(named)}" if named else ""
    raise PlanningError(
        f"Which metric do you want{what}? I found no metric in the question.",
        hint="Name one, e.g. CTR, conversion rate, revenue, AOV, impressions, "
        "clicks, catalog coverage or novelty.",
        options=list(model.overview_metrics),
    )


def _grain(reading: Reading) -> Grain | None:
    if reading.time.grain is not None:
        return reading.time.grain
    if not reading.time.wants_trend:
        return None
    span = reading.time.time_range
    return Grain.day if span is not None and span.days <= 31 else Grain.week


def _check_fit(
    model: SemanticModel, metrics: list[str], dimensions: list[DimensionRef], filters: list[Filter]
) -> None:
    fitting = set(dimensions_for(model, metrics))
    for name in [d.name for d in dimensions] + [f.dimension for f in filters]:
        if name not in fitting:
            raise PlanningError(
                f"{', '.join(metrics)} can't be broken down or filtered by "
                f"{name}: the data behind it doesn't record {name}.",
                hint=f"Dimensions that fit: {', '.join(sorted(fitting))}.",
            )


def _follow_up(
    previous: SemanticQuery,
    reading: Reading,
    dimensions: list[DimensionRef],
    filters: list[Filter],
    order: list[OrderBy],
    limit: int | None,
) -> SemanticQuery:
    """A question without a metric, after an answer, refines that answer's query."""
    replaced = {f.dimension for f in filters}
    kept_filters = [f for f in previous.filters if f.dimension not in replaced]
    new_time = any(d.grain is not None for d in dimensions)
    kept_dims = [d for d in previous.dimensions if not (new_time and d.grain is not None)]
    merged = kept_dims + [d for d in dimensions if d.column not in {k.column for k in kept_dims}]
    regrouped = len(merged) != len(previous.dimensions) or new_time
    return previous.model_copy(
        update={
            "dimensions": merged,
            "filters": kept_filters + filters,
            "time_range": reading.time.time_range or previous.time_range,
            # A new grouping shows every row again, unless the follow-up ranks it itself.
            "order_by": order or ([] if regrouped else previous.order_by),
            "limit": limit if limit is not None else (None if regrouped else previous.limit),
            "having": reading.having or previous.having,
        }
    )
