"""Which measures share a CTE: one group per fact table, with the dimensions, filters and joins
its rows need. Grouping by fact is what keeps one fact's rows from multiplying another's."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from semantic_layer import naming
from semantic_layer.catalog import dimension_fits, measures_of, time_table_of
from semantic_layer.errors import QueryError
from semantic_layer.filters import dimensions_in
from semantic_layer.graph import reach
from semantic_layer.loader import parse_expression
from semantic_layer.query import DimensionRef, SemanticQuery
from semantic_layer.spec import Measure, SemanticModel


@dataclass
class MeasureGroup:
    """The measures one CTE aggregates, and what it groups and filters by."""

    alias: str
    table: str
    broadcast: bool
    measures: list[Measure] = field(default_factory=list)
    dimensions: list[DimensionRef] = field(default_factory=list)
    conditions: list[exp.Expr] = field(default_factory=list)
    timed: bool = False
    """Whether the query's time range filters this CTE (it needs its time column's table)."""


def plan_groups(
    model: SemanticModel, query: SemanticQuery, metrics: list[str], conditions: list[exp.Expr]
) -> list[MeasureGroup]:
    groups: dict[tuple[str, bool], MeasureGroup] = {}
    for metric in metrics:
        for measure in measures_of(model, metric):
            key = (measure.table, measure.broadcast)
            if key not in groups:
                alias = naming.cte_alias(measure.table, measure.broadcast)
                groups[key] = MeasureGroup(alias, measure.table, measure.broadcast)
            if measure not in groups[key].measures:
                groups[key].measures.append(measure)

    for group in groups.values():
        _scope(model, query, group, conditions)
    # The first CTE drives the join: a full one if there is any, so broadcast ones hang off it.
    return sorted(groups.values(), key=lambda g: (g.broadcast, g.alias))


def _scope(
    model: SemanticModel, query: SemanticQuery, group: MeasureGroup, conditions: list[exp.Expr]
) -> None:
    probe = group.measures[0]
    owner = f"metric data in table '{group.table}'"
    has_time = time_table_of(model, group.table) is not None
    group.timed = query.time_range is not None and has_time and not group.broadcast
    for ref in query.dimensions:
        if dimension_fits(model, ref.name, probe):
            group.dimensions.append(ref)
        elif not group.broadcast:
            raise QueryError(f"Dimension '{ref.name}' is not reachable from {owner}.")
    for condition in conditions:
        names = dimensions_in(condition)
        if all(dimension_fits(model, n, probe) for n in names):
            group.conditions.append(condition)
        elif not group.broadcast:
            missing = sorted(n for n in names if not dimension_fits(model, n, probe))
            raise QueryError(
                f"Can't filter {owner} by {', '.join(missing)}: no join path leads there."
            )
    ambiguous = reach(model, group.table).ambiguous & tables_used(model, group)
    if ambiguous:
        raise QueryError(
            f"Table(s) {sorted(ambiguous)} are reached from '{group.table}' by two "
            "equally short join paths; the model must make the path unique."
        )


def tables_used(model: SemanticModel, group: MeasureGroup) -> set[str]:
    tables = {group.table}
    for ref in group.dimensions:
        dim = model.dimensions[ref.name]
        tables.add(dim.table if dim.type != "time" else time_table_of(model, group.table) or "")
    for condition in group.conditions:
        for name in dimensions_in(condition):
            dim = model.dimensions[name]
            tables.add(dim.table if dim.type != "time" else time_table_of(model, group.table) or "")
    for measure in group.measures:
        for text in filter(None, (measure.expr, measure.filter)):
            for column in parse_expression(text, measure.name).find_all(exp.Column):
                tables.add(column.table or measure.table)
    if group.timed:
        # Only then: a join made just for the time column is wasted work (order lines -> orders).
        tables.add(time_table_of(model, group.table) or "")
    tables.discard("")
    return tables
