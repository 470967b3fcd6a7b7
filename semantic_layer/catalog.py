"""Questions about the model itself: which measures a metric needs, which dimensions fit it."""

from __future__ import annotations

from semantic_layer.errors import QueryError, unknown_name
from semantic_layer.graph import reach
from semantic_layer.loader import metric_refs
from semantic_layer.spec import Measure, SemanticModel


def measures_of(model: SemanticModel, metric: str) -> list[Measure]:
    """Measures a metric is computed from, derived metrics expanded."""
    spec = model.metrics[metric]
    if spec.type == "simple":
        return [model.measures[spec.measure or ""]]
    if spec.type == "ratio":
        return [model.measures[spec.numerator or ""], model.measures[spec.denominator or ""]]
    found: dict[str, Measure] = {}
    for ref in metric_refs(spec):
        for measure in measures_of(model, ref):
            found[measure.name] = measure
    return list(found.values())


def time_table_of(model: SemanticModel, table: str) -> str | None:
    """The table holding a fact's time column (itself, or one it joins to)."""
    column = model.tables[table].time_column
    if column is None:
        return None
    owner, _, _ = column.rpartition(".")
    return owner or table


def dimension_fits(model: SemanticModel, dimension: str, measure: Measure) -> bool:
    dim = model.dimensions[dimension]
    if dim.type == "time":
        return time_table_of(model, measure.table) is not None
    return reach(model, measure.table).reaches(dim.table)


def dimensions_for(model: SemanticModel, metrics: list[str]) -> list[str]:
    """Dimensions every one of the metrics can be broken down by."""
    names = []
    for dimension in model.dimensions:
        measures = [m for metric in metrics for m in measures_of(model, metric)]
        if all(m.broadcast or dimension_fits(model, dimension, m) for m in measures):
            names.append(dimension)
    return names


def require_metric(model: SemanticModel, name: str) -> None:
    if name not in model.metrics:
        raise QueryError(unknown_name("metric", name, model.metrics))


def require_dimension(model: SemanticModel, name: str) -> None:
    if name not in model.dimensions:
        raise QueryError(unknown_name("dimension", name, model.dimensions))
