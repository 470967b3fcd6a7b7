"""Compile a semantic query into one SQL statement, built as a sqlglot tree.

Plan: measures are grouped by the fact table they aggregate; each group becomes a CTE that joins
only the many-to-one tables it needs, filters, and aggregates at the requested grain. The CTEs are
then joined on the requested dimensions, so metrics from different facts never multiply each
other's rows. Ratio and derived metrics are computed from the aggregated measures at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import Literal

from sqlglot import exp

from semantic_layer import dialects, naming
from semantic_layer.catalog import (
    dimensions_for,
    require_dimension,
    require_metric,
)
from semantic_layer.errors import QueryError, unknown_name
from semantic_layer.filters import filter_condition, parse_where
from semantic_layer.graph import reach
from semantic_layer.grouping import MeasureGroup, plan_groups, tables_used
from semantic_layer.loader import metric_refs, parse_expression
from semantic_layer.query import DimensionRef, SemanticQuery
from semantic_layer.spec import Grain, Measure, SemanticModel, Unit


@dataclass(frozen=True)
class OutputColumn:
    name: str
    kind: Literal["dimension", "metric"]
    unit: Unit | None = None


@dataclass(frozen=True)
class CompiledQuery:
    query: SemanticQuery
    expression: exp.Expr
    columns: list[OutputColumn]
    _rendered: dict[tuple[str, bool], str] = field(default_factory=dict, compare=False, repr=False)

    def sql(self, dialect: str = "duckdb", pretty: bool = True) -> str:
        """The statement as SQL text, rendered once per dialect (front ends ask more than once)."""
        key = (dialect, pretty)
        if key not in self._rendered:
            self._rendered[key] = dialects.render(self.expression, dialect, pretty)
        return self._rendered[key]


def compile_query(model: SemanticModel, query: SemanticQuery) -> CompiledQuery:
    """Check every name, then build the statement. Nothing here touches a warehouse."""
    _check_names(model, query)
    conditions = [filter_condition(f) for f in query.filters]
    if query.where:
        conditions.append(parse_where(query.where, model))

    needed = list(dict.fromkeys([*query.metrics, *(h.metric for h in query.having)]))
    groups = plan_groups(model, query, needed, conditions)
    ctes = [(g.alias, _group_select(model, query, g)) for g in groups]
    statement = naming.with_ctes(_final_select(model, query, groups, needed), ctes)

    columns = [OutputColumn(d.column, "dimension") for d in query.dimensions]
    columns += [OutputColumn(m, "metric", model.metrics[m].unit) for m in query.metrics]
    return CompiledQuery(query, statement, columns)


def _check_names(model: SemanticModel, query: SemanticQuery) -> None:
    for metric in query.metrics:
        require_metric(model, metric)
    for having in query.having:
        require_metric(model, having.metric)
    for ref in query.dimensions:
        require_dimension(model, ref.name)
        is_time = model.dimensions[ref.name].type == "time"
        if ref.grain is not None and not is_time:
            raise QueryError(
                f"Dimension '{ref.name}' is not a time dimension, so it takes no "
                f"grain (got '{ref.grain.value}').",
                hint=f"Use '{model.time_dimension}:{ref.grain.value}' for time.",
            )
    for item in query.filters:
        require_dimension(model, item.dimension)
    columns = [d.column for d in query.dimensions]
    if len(set(columns)) != len(columns):
        raise QueryError(f"A dimension is listed twice: {', '.join(columns)}.")
    valid = set(query.output_columns())
    for order in query.order_by:
        if order.field not in valid:
            raise QueryError(
                unknown_name(
                    "order field",
                    order.field,
                    valid,
                    where="(order by a metric or dimension of the query)",
                )
            )
    fitting = dimensions_for(model, query.metrics)
    for ref in query.dimensions:
        if ref.name not in fitting:
            raise QueryError(
                f"Dimension '{ref.name}' can't break down {', '.join(query.metrics)}: their data "
                f"has no path to it. Dimensions that fit: {', '.join(fitting)}."
            )


def _group_select(model: SemanticModel, query: SemanticQuery, group: MeasureGroup) -> exp.Select:
    joins = []
    # A required join can be inner only if its own source row is certain to be there: after a
    # left join that may have found nothing, an inner join would drop the fact's row.
    certain = {group.table}
    for step in reach(model, group.table).steps_to(tables_used(model, group)):
        target = model.tables[step.join.to]
        on = exp.EQ(
            this=exp.column(step.join.foreign_key, table=step.source),
            expression=exp.column(target.primary_key, table=target.name),
        )
        table = _table(target.sql_table, target.name)
        if step.join.required and step.source in certain:
            certain.add(target.name)
            joins.append(exp.Join(this=table, on=on))
        else:
            joins.append(exp.Join(this=table, on=on, side="LEFT"))

    keys = [_dimension_expr(model, group.table, ref) for ref in group.dimensions]
    columns = [
        exp.alias_(key, ref.column, quoted=False, copy=False)
        for ref, key in zip(group.dimensions, keys, strict=True)
    ]
    # A filter every measure of the CTE shares becomes its WHERE: fewer rows to aggregate.
    shared = {m.filter for m in group.measures}
    common = shared.pop() if len(shared) == 1 else None
    for measure in group.measures:
        own = measure.model_copy(update={"filter": None}) if common else measure
        columns.append(exp.alias_(_aggregate(own), measure.name, copy=False))

    conditions = [_qualify(common, group.measures[0])] if common else []
    conditions += [_bind(model, group.table, condition) for condition in group.conditions]
    time = _time_column(model, group.table)
    if group.timed and query.time_range is not None and time is not None:
        end = query.time_range.end + timedelta(days=1)
        conditions.append(exp.GTE(this=time.copy(), expression=_timestamp(query.time_range.start)))
        conditions.append(exp.LT(this=time.copy(), expression=_timestamp(end)))
    source = _table(model.tables[group.table].sql_table, group.table)
    return naming.select(
        columns, source, joins=joins, where=conditions, group_by=[k.copy() for k in keys]
    )


@lru_cache(maxsize=256)
def _parsed_table(sql_table: str) -> exp.Table:
    return exp.to_table(sql_table)


def _table(sql_table: str, alias: str) -> exp.Table:
    """A warehouse table (maybe schema-qualified) under the model's name for it."""
    if sql_table.isidentifier():
        return exp.table_(sql_table, alias=alias)
    table = _parsed_table(sql_table).copy()
    table.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
    return table


def _timestamp(day: object) -> exp.Expr:
    return naming.cast(exp.Literal.string(f"{day} 00:00:00"), exp.DataType.Type.TIMESTAMP)


def _time_column(model: SemanticModel, table: str) -> exp.Column | None:
    column = model.tables[table].time_column
    if column is None:
        return None
    owner, _, name = column.rpartition(".")
    return exp.column(name, table=owner or table)


def _dimension_expr(model: SemanticModel, fact: str, ref: DimensionRef) -> exp.Expr:
    dim = model.dimensions[ref.name]
    if dim.type != "time":
        tree = parse_expression(dim.expr or dim.name, dim.name).copy()
        for column in tree.find_all(exp.Column):
            column.set("table", exp.to_identifier(dim.table))
        return tree
    time = _time_column(model, fact)
    assert time is not None, "callers only ask for time on facts that have it"
    return _truncate(time, ref.grain or Grain.day)


def _truncate(time: exp.Expr, grain: Grain) -> exp.Expr:
    # Weeks start on Monday and days of the week run 1 (Monday) to 7 in every dialect: these node
    # types carry that meaning, where EXTRACT(ISODOW) or a bare WEEK would be rendered as
    # Sunday-based or invalid SQL in BigQuery and Snowflake.
    if grain == Grain.day:
        return naming.cast(time, exp.DataType.Type.DATE)
    if grain == Grain.day_of_week:
        return exp.DayOfWeekIso(this=time)
    if grain == Grain.hour_of_day:
        return exp.Extract(this=exp.var("HOUR"), expression=time)
    unit: exp.Expr = exp.var(grain.value.upper())
    if grain == Grain.week:
        unit = exp.WeekStart(this=exp.var("MONDAY"))
    trunc = exp.DateTrunc(unit=unit, this=time)
    return naming.cast(trunc, exp.DataType.Type.DATE)


def _bind(model: SemanticModel, fact: str, condition: exp.Expr) -> exp.Expr:
    """Swap dimension names in a condition for their expressions in this fact's CTE."""

    def swap(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table:
            return _dimension_expr(model, fact, DimensionRef(name=node.name))
        return node

    return condition.copy().transform(swap)


def _aggregate(measure: Measure) -> exp.Expr:
    value: exp.Expr = exp.Star() if measure.expr is None else _qualify(measure.expr, measure)
    agg = measure.agg
    functions: dict[str, type[exp.AggFunc]] = {
        "sum": exp.Sum,
        "average": exp.Avg,
        "min": exp.Min,
        "max": exp.Max,
    }
    aggregate: exp.Expr
    if agg == "count":
        aggregate = exp.Count(this=value)
    elif agg == "count_distinct":
        aggregate = exp.Count(this=exp.Distinct(expressions=[value]))
    else:
        aggregate = functions[agg](this=value)
    if not measure.filter:
        return aggregate
    # FILTER (WHERE ...) runs ~10% faster than CASE in DuckDB; dialects without it get CASE.
    return exp.Filter(this=aggregate, expression=exp.Where(this=_qualify(measure.filter, measure)))


def _qualify(text: str, measure: Measure) -> exp.Expr:
    tree = parse_expression(text, measure.name).copy()
    for column in tree.find_all(exp.Column):
        if not column.table:
            column.set("table", exp.to_identifier(measure.table))
    return tree


def _final_select(
    model: SemanticModel, query: SemanticQuery, groups: list[MeasureGroup], metrics: list[str]
) -> exp.Select:
    driver, rest = groups[0], groups[1:]
    joins = []
    keyed = [driver]
    for group in rest:
        pairs = [
            exp.NullSafeEQ(
                this=_coalesced(ref.column, keyed),
                expression=exp.column(ref.column, table=group.alias),
            )
            for ref in group.dimensions
        ]
        if not pairs:
            joins.append(exp.Join(this=exp.table_(group.alias), kind="CROSS"))
        else:
            on = exp.and_(*pairs, copy=False)
            side = "LEFT" if group.broadcast else "FULL"
            joins.append(exp.Join(this=exp.table_(group.alias), on=on, side=side))
        if not group.broadcast:
            keyed.append(group)

    columns = [
        exp.alias_(_coalesced(ref.column, keyed), ref.column, copy=False)
        for ref in query.dimensions
    ]
    location = {m.name: g.alias for g in groups for m in g.measures}
    measures = {m.name: m for g in groups for m in g.measures}
    for metric in query.metrics:
        expr = _metric_expr(model, metric, location, measures)
        columns.append(exp.alias_(expr, metric, copy=False))
    conditions = [
        naming.comparison(h.operator, _metric_expr(model, h.metric, location, measures), h.value)
        for h in query.having
    ]

    orders = query.order_by or [naming.default_order(d.column) for d in query.dimensions]
    ordered = [
        exp.Ordered(this=exp.column(o.field), desc=o.descending, nulls_first=False) for o in orders
    ]
    return naming.select(
        columns,
        exp.table_(driver.alias),
        joins=joins,
        where=conditions,
        order_by=ordered,
        limit=query.limit,
    )


def _coalesced(column: str, groups: list[MeasureGroup]) -> exp.Expr:
    refs = [
        exp.column(column, table=g.alias)
        for g in groups
        if any(d.column == column for d in g.dimensions)
    ]
    return naming.coalesce(*refs)


def _metric_expr(
    model: SemanticModel, name: str, location: dict[str, str], measures: dict[str, Measure]
) -> exp.Expr:
    spec = model.metrics[name]
    if spec.type == "simple":
        return _measure_ref(spec.measure or "", location, measures)
    if spec.type == "ratio":
        numerator = _measure_ref(spec.numerator or "", location, measures)
        denominator = _measure_ref(spec.denominator or "", location, measures)
        return naming.safe_divide(numerator, denominator)
    tree = parse_expression(spec.expr or "", name).copy()
    refs = {ref: _metric_expr(model, ref, location, measures) for ref in metric_refs(spec)}
    tree = tree.transform(
        lambda n: (
            exp.paren(refs[n.name].copy()) if isinstance(n, exp.Column) and n.name in refs else n
        )
    )
    return naming.divisions_safe(tree)


def _measure_ref(name: str, location: dict[str, str], measures: dict[str, Measure]) -> exp.Expr:
    if name not in location:
        raise QueryError(unknown_name("measure", name, location))
    column = exp.column(name, table=location[name])
    if measures[name].agg in ("count", "count_distinct", "sum"):
        return naming.coalesce(column, exp.Literal.number(0))
    return column
