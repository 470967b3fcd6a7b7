"""Small sqlglot builders the compiler uses in several places."""

from __future__ import annotations

from sqlglot import exp

from semantic_layer.query import OrderBy

_COMPARE = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}


def cte_alias(table: str, broadcast: bool) -> str:
    return f"{table}_{'catalog' if broadcast else 'agg'}"


def comparison(operator: str, left: exp.Expr, value: float) -> exp.Expr:
    return _COMPARE[operator](this=left, expression=exp.Literal.number(value))


def default_order(column: str) -> OrderBy:
    return OrderBy(field=column)


def safe_divide(numerator: exp.Expr, denominator: exp.Expr) -> exp.Expr:
    """numerator / denominator as a float, NULL when the denominator is zero.

    The cast keeps dialects with integer division (Postgres, SQL Server) from truncating rates.
    """
    top = exp.cast(numerator, exp.DataType.Type.DOUBLE)
    bottom = exp.func("NULLIF", denominator, exp.Literal.number(0))
    return exp.Div(this=top, expression=bottom)


def divisions_safe(tree: exp.Expr) -> exp.Expr:
    """Rewrite every division in a derived metric's expression with `safe_divide`."""

    def swap(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Div):
            return safe_divide(node.this, node.expression)
        return node

    return tree.transform(swap)
