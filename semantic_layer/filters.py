"""Filter conditions over dimension names, as sqlglot trees.

Conditions are written against dimension names (`category = 'Shoes'`); the compiler later swaps each
name for the dimension's expression inside each fact's subquery. A `--where` text is parsed with
sqlglot and only a small boolean language is let through.
"""

from __future__ import annotations

from datetime import date

import sqlglot
from sqlglot import exp

from semantic_layer.errors import FilterError, unknown_name
from semantic_layer.query import Filter, Scalar
from semantic_layer.spec import SemanticModel

MAX_WHERE_CHARS = 4_000

_ALLOWED = (
    exp.Column,
    exp.Identifier,
    exp.Literal,
    exp.Boolean,
    exp.Null,
    exp.Neg,
    exp.Paren,
    exp.EQ,
    exp.NEQ,
    exp.LT,
    exp.LTE,
    exp.GT,
    exp.GTE,
    exp.In,
    exp.Between,
    exp.Like,
    exp.ILike,
    exp.And,
    exp.Or,
    exp.Not,
    exp.Is,
    exp.Tuple,
)
_COMPARISONS = {
    "=": exp.EQ,
    "!=": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
}


def parse_where(text: str, model: SemanticModel) -> exp.Expr:
    """Parse a boolean expression over dimension names, refusing anything else."""
    if len(text) > MAX_WHERE_CHARS:
        raise FilterError(
            f"The filter is {len(text):,} characters long; the limit is {MAX_WHERE_CHARS:,}."
        )
    try:
        statements = sqlglot.parse(text, read="duckdb")
    except sqlglot.errors.ParseError as error:
        detail = str(error).splitlines()[0]
        raise FilterError(
            f"Could not read the filter '{text}': {detail}.",
            hint="Write e.g. category = 'Shoes' AND device IN ('Mobile', 'Tablet').",
        ) from None
    if len(statements) != 1 or statements[0] is None:
        raise FilterError(
            f"The filter '{text}' must be one boolean expression, not several statements."
        )
    tree = statements[0]
    for node in tree.walk():
        if not isinstance(node, _ALLOWED):
            raise FilterError(
                f"The filter '{text}' uses {_describe(node)}, which filters may not use.",
                hint="Use dimension names, literals, comparisons, IN, "
                "BETWEEN, LIKE, IS NULL, AND, OR and NOT.",
            )
    if not isinstance(tree, exp.Condition) or isinstance(tree, exp.Column | exp.Literal):
        raise FilterError(
            f"The filter '{text}' is not a condition.",
            hint="Compare a dimension with a value, e.g. region = 'West'.",
        )
    check_dimensions(tree, model, text)
    # sqlglot keeps comments and would re-emit them: the user's text stays out of the SQL.
    for node in tree.walk():
        node.comments = None
    return tree


def _describe(node: exp.Expr) -> str:
    if isinstance(node, exp.Select | exp.Subquery):
        return "a subquery"
    if isinstance(node, exp.Func):
        return f"the function {node.sql_name()}"
    return f"a {node.key.upper()} expression"


def check_dimensions(tree: exp.Expr, model: SemanticModel, text: str) -> None:
    for column in tree.find_all(exp.Column):
        if column.table:
            raise FilterError(
                f"The filter '{text}' names '{column.sql()}'; use a dimension name without a table."
            )
        if column.name not in model.dimensions:
            raise FilterError(
                unknown_name(
                    "dimension", column.name, model.dimensions, where=f"in the filter '{text}'"
                ),
                # `category = Shoes` and `category = "Shoes"` both read Shoes as a column.
                hint=f"If '{column.name}' is a value, put it in single quotes: '{column.name}'.",
            )


def literal(value: Scalar) -> exp.Expr:
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    if isinstance(value, date):
        return exp.Literal.string(value.isoformat())
    return exp.Literal.string(str(value))


def filter_condition(item: Filter) -> exp.Expr:
    """The sqlglot condition of a structured filter, over the dimension's name."""
    column = exp.column(item.dimension)
    values = [literal(v) for v in item.values]
    op = item.operator
    if op in _COMPARISONS:
        return _COMPARISONS[op](this=column, expression=values[0])
    if op in ("in", "not in"):
        inside = exp.In(this=column, expressions=values)
        return exp.Not(this=inside) if op == "not in" else inside
    if op == "between":
        return exp.Between(this=column, low=values[0], high=values[1])
    if op in ("like", "not like"):
        like = exp.Like(this=column, expression=values[0])
        return exp.Not(this=like) if op == "not like" else like
    is_null = exp.Is(this=column, expression=exp.Null())
    return exp.Not(this=is_null) if op == "is not null" else is_null


def dimensions_in(condition: exp.Expr) -> set[str]:
    return {c.name for c in condition.find_all(exp.Column)}
