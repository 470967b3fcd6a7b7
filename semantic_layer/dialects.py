"""Render a compiled tree as SQL text in a dialect, fixing what sqlglot would render wrongly.

The compiler builds dialect-neutral trees. A few functions have no spelling that sqlglot renders
right everywhere, so they are rewritten here for the dialects that need it, just before rendering.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect

from semantic_layer.errors import QueryError, closest

Rewrite = Callable[[exp.Expr], exp.Expr]

COMMON_DIALECTS = ("duckdb", "snowflake", "bigquery", "postgres", "redshift", "databricks", "trino")


def _iso_day_of_week_as_extract(node: exp.Expr) -> exp.Expr:
    # sqlglot spells DayOfWeekIso DAYOFWEEK_ISO() for Postgres, a function it does not have.
    if isinstance(node, exp.DayOfWeekIso):
        return exp.Extract(this=exp.var("ISODOW"), expression=node.this)
    return node


def _filter_as_case(node: exp.Expr) -> exp.Expr:
    # sqlglot writes FILTER (WHERE ...) verbatim for these dialects, which have no such clause.
    if not isinstance(node, exp.Filter):
        return node
    aggregate, condition = node.this, node.expression.this
    inner = aggregate.this
    if isinstance(inner, exp.Distinct):
        inner.set("expressions", [_case(condition, inner.expressions[0])])
    elif isinstance(inner, exp.Star):
        aggregate.set("this", _case(condition, exp.Literal.number(1)))
    else:
        aggregate.set("this", _case(condition, inner))
    return aggregate


def _case(condition: exp.Expr, value: exp.Expr) -> exp.Case:
    return exp.Case(ifs=[exp.If(this=condition, true=value)])


_REWRITES: dict[str, Rewrite] = {
    "postgres": _iso_day_of_week_as_extract,
    "redshift": _filter_as_case,
    "mysql": _filter_as_case,
}


def check_dialect(name: str) -> str:
    """The dialect's name if sqlglot knows it; otherwise a QueryError with a did-you-mean."""
    known = sorted(d for d in Dialect.classes if d)
    if name not in known:
        suggestion = closest(name, known, limit=1)
        guess = f" Did you mean '{suggestion[0]}'?" if suggestion else ""
        raise QueryError(
            f"Unknown SQL dialect '{name}'.{guess}",
            hint=f"Common ones: {', '.join(COMMON_DIALECTS)}.",
        )
    return name


# Dialects whose generator leaves the tree as it found it (pinned by the golden tests), so it can
# skip its defensive deep copy: half the cost of rendering. MySQL and T-SQL rewrite it in place.
_RENDERS_IN_PLACE = frozenset({"duckdb"})


def render(tree: exp.Expr, dialect: str = "duckdb", pretty: bool = True) -> str:
    rewrite = _REWRITES.get(check_dialect(dialect))
    if rewrite is not None:
        tree = tree.transform(rewrite)
    generator = Dialect.get_or_raise(dialect)
    return generator.generate(tree, copy=dialect not in _RENDERS_IN_PLACE, pretty=pretty)
