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
from semantic_layer.spec import Join, Measure, SemanticModel


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
    folded: dict[str, Join] = field(default_factory=dict)
    """Facts whose measures this CTE computes too, by table, with their join to this fact."""


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
    kept = _fold(model, query, list(groups.values()))
    # The first CTE drives the join: a full one if there is any, so broadcast ones hang off it.
    return sorted(kept, key=lambda g: (g.broadcast, g.alias))


def _fold(
    model: SemanticModel, query: SemanticQuery, groups: list[MeasureGroup]
) -> list[MeasureGroup]:
    """Merge a fact with at most one row per row of another fact of the query into that fact's
    CTE: clicks counted on impressions LEFT JOIN clicks, in one pass over impressions, instead of
    a second pass to join clicks to impressions. Only without time: each fact keeps its own time
    column, so a time range or a date dimension splits them differently."""
    time = model.time_dimension
    uses_time = any(ref.name == time for ref in query.dimensions) or any(
        time in dimensions_in(c) for g in groups for c in g.conditions
    )
    if query.time_range is not None or uses_time:
        return groups
    by_table = {g.table: g for g in groups if not g.broadcast}
    kept = []
    for group in groups:
        parent = by_table.get(_fold_target(model, group, by_table))
        if parent is None:
            kept.append(group)
            continue
        join = next(j for j in model.tables[group.table].joins if j.to == parent.table)
        parent.folded[group.table] = join
        parent.measures.extend(m for m in group.measures if m not in parent.measures)
    return kept


def _fold_target(model: SemanticModel, group: MeasureGroup, facts: dict[str, MeasureGroup]) -> str:
    if group.broadcast or group.folded:
        return ""
    paths = reach(model, group.table).paths
    for join in model.tables[group.table].joins:
        target = facts.get(join.to)
        if not (join.required and join.at_most_one) or target is None or target.folded:
            continue
        # Everything the group needs must come through that fact, as it will in the fact's CTE.
        needed = tables_used(model, group) - {group.table}
        if all(paths[t][0].join == join for t in needed):
            return join.to
    return ""


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
    # A folded fact is joined to this one directly, not along a many-to-one path.
    tables -= set(group.folded)
    if group.timed:
        # Only then: a join made just for the time column is wasted work (order lines -> orders).
        tables.add(time_table_of(model, group.table) or "")
    tables.discard("")
    return tables
