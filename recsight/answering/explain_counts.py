"""The counts behind a rate (clicks and impressions behind CTR), fetched with one compiled query.

Measures are not queryable by themselves, so the explainer works on a copy of the semantic model
that adds one hidden count metric per additive measure; the copy is built once per model.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from recsight.engine import Engine
from semantic_layer.compiler import compile_query
from semantic_layer.query import SemanticQuery
from semantic_layer.spec import Metric, SemanticModel

log = logging.getLogger(__name__)

TIMEOUT_S = 10.0
"""The explainer's queries are optional: they give up sooner than the answer's own."""
_PREFIX = "explain_count_of_"
_ADDITIVE = ("count", "sum")
_models: dict[int, tuple[SemanticModel, SemanticModel]] = {}


@dataclass(frozen=True)
class RateParts:
    """A ratio metric's numerator and denominator as names of queryable count metrics."""

    metric: str
    numerator: str
    denominator: str


def rate_parts(model: SemanticModel, metric: str) -> RateParts | None:
    """Count metrics for a ratio of two additive measures; None for anything else."""
    spec = model.metrics[metric]
    if spec.type != "ratio" or not spec.numerator or not spec.denominator:
        return None
    parts = (model.measures[spec.numerator], model.measures[spec.denominator])
    if any(m.agg not in _ADDITIVE or m.broadcast for m in parts):
        return None
    return RateParts(metric, _PREFIX + spec.numerator, _PREFIX + spec.denominator)


def counting_model(model: SemanticModel) -> SemanticModel:
    """The model plus a count metric for every additive measure (cached per model object)."""
    cached = _models.get(id(model))
    if cached is not None and cached[0] is model:
        return cached[1]
    extra = {
        _PREFIX + name: Metric(
            name=_PREFIX + name,
            type="simple",
            measure=name,
            unit="count",
            description=f"The {name} measure, for the explainer.",
        )
        for name, measure in model.measures.items()
        if measure.agg in _ADDITIVE and not measure.broadcast
    }
    extended = model.model_copy(update={"metrics": {**model.metrics, **extra}})
    _models[id(model)] = (model, extended)
    return extended


def run_counts(
    engine: Engine, query: SemanticQuery, row_cap: int | None = None
) -> tuple[list[str], list[tuple[Any, ...]], bool]:
    """Run a query that may name the explainer's count metrics: columns, rows, truncated."""
    compiled = compile_query(counting_model(engine.model), query)
    result = engine.warehouse.run(compiled.sql(), row_cap=row_cap, timeout_s=TIMEOUT_S)
    log.debug("explainer query: %d rows in %.1f ms", len(result.rows), result.elapsed_ms)
    return result.columns, result.rows, result.truncated
