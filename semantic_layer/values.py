"""The SQL that lists a dimension's values, most frequent first."""

from __future__ import annotations

from sqlglot import exp

from semantic_layer.catalog import require_dimension
from semantic_layer.errors import QueryError
from semantic_layer.loader import parse_expression
from semantic_layer.spec import SemanticModel


def values_query(
    model: SemanticModel, dimension: str, search: str | None = None, limit: int = 50
) -> exp.Select:
    require_dimension(model, dimension)
    dim = model.dimensions[dimension]
    if dim.type == "time":
        raise QueryError(
            f"'{dimension}' is the time dimension; it has dates, not a list of values.",
            hint=f"Group by {dimension}:week or {dimension}:month instead.",
        )
    value = parse_expression(dim.expr or dim.name, dim.name).copy()
    table = model.tables[dim.table]
    select = (
        exp.select(exp.alias_(value, "value"), exp.alias_(exp.Count(this=exp.Star()), "n"))
        .from_(exp.to_table(table.sql_table))
        .where(exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null())))
        .group_by(value.copy())
        .order_by(exp.Ordered(this=exp.column("n"), desc=True), exp.column("value"))
        .limit(limit)
    )
    if search:
        pattern = exp.Literal.string(f"%{search.lower()}%")
        text = exp.Lower(this=exp.cast(value.copy(), exp.DataType.Type.VARCHAR))
        select = select.where(exp.Like(this=text, expression=pattern))
    return select
