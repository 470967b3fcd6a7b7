"""Small sqlglot builders the compiler uses in several places."""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from semantic_layer.query import OrderBy

_COMPARE = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}


def cte_alias(table: str, broadcast: bool) -> str:
    return f"{table}_{'catalog' if broadcast else 'agg'}"


def comparison(operator: str, left: exp.Expr, value: float) -> exp.Expr:
    return _COMPARE[operator](this=left, expression=exp.Literal.number(value))


def default_order(column: str) -> OrderBy:
    return OrderBy(field=column)


def cast(value: exp.Expr, to: exp.DType) -> exp.Cast:
    # Built directly: sqlglot's cast() builder re-reads the type and copies the value.
    return exp.Cast(this=value, to=exp.DataType(this=to))


def safe_divide(numerator: exp.Expr, denominator: exp.Expr) -> exp.Expr:
    """numerator / denominator as a float, NULL when the denominator is zero.

    The cast keeps dialects with integer division (Postgres, SQL Server) from truncating rates.
    """
    top = cast(numerator, exp.DataType.Type.DOUBLE)
    bottom = exp.Nullif(this=denominator, expression=exp.Literal.number(0))
    return exp.Div(this=top, expression=bottom)


def coalesce(first: exp.Expr, *rest: exp.Expr) -> exp.Expr:
    return exp.Coalesce(this=first, expressions=list(rest)) if rest else first


def select(
    columns: Sequence[exp.Expr],
    source: exp.Expr,
    *,
    joins: Sequence[exp.Join] = (),
    where: Sequence[exp.Expr] = (),
    group_by: Sequence[exp.Expr] = (),
    order_by: Sequence[exp.Ordered] = (),
    limit: int | None = None,
) -> exp.Select:
    """One SELECT, built in a single step: sqlglot's chained builders copy the whole tree at
    every call, which made compiling cost milliseconds."""
    parts: dict[str, object] = {"expressions": list(columns), "from_": exp.From(this=source)}
    if joins:
        parts["joins"] = list(joins)
    if where:
        # and_ parenthesises an OR among the conditions, so each keeps its meaning.
        parts["where"] = exp.Where(this=exp.and_(*where, copy=False))
    if group_by:
        parts["group"] = exp.Group(expressions=list(group_by))
    if order_by:
        parts["order"] = exp.Order(expressions=list(order_by))
    if limit is not None:
        parts["limit"] = exp.Limit(expression=exp.Literal.number(limit))
    return exp.Select(**parts)


def with_ctes(statement: exp.Select, ctes: Sequence[tuple[str, exp.Select]]) -> exp.Select:
    named = [
        exp.CTE(this=body, alias=exp.TableAlias(this=exp.to_identifier(n))) for n, body in ctes
    ]
    statement.set("with_", exp.With(expressions=named))
    return statement


def divisions_safe(tree: exp.Expr) -> exp.Expr:
    """Rewrite every division in a derived metric's expression with `safe_divide`."""

    def swap(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Div):
            return safe_divide(node.this, node.expression)
        return node

    return tree.transform(swap)
