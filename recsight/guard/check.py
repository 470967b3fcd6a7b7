"""The SQL guard: one read-only SELECT over the semantic model's tables, or a GuardError saying
why not.

The checks run on the sqlglot tree, in the order a reader would ask: is it one statement, is it a
query, which functions does it call, which tables and columns does it read, how many rows may it
return. Each refusal names the offending part and what is allowed instead, because the reader is
often a model that will rewrite the SQL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError, TokenError

from recsight.guard import functions
from recsight.guard.scope import check_tables, qualify_columns
from semantic_layer.errors import GuardError
from semantic_layer.spec import SemanticModel

log = logging.getLogger(__name__)

DEFAULT_ROW_CAP = 1_000
MAX_SQL_CHARS = 20_000
MAX_NODES = 5_000
"""Bounds that keep checking cheap: a real analytics query is far smaller than either."""

_WRITES = (exp.DDL, exp.DML, exp.Into)
_NOT_QUERIES = (
    exp.Command, exp.Pragma, exp.Set, exp.Attach, exp.Detach, exp.Use, exp.Transaction,
    exp.Commit, exp.Rollback, exp.Describe, exp.Show, exp.Install, exp.Drop, exp.Alter,
    exp.Summarize, exp.Kill, exp.Cache, exp.Uncache, exp.Refresh, exp.LoadData, exp.Grant,
    exp.Revoke, exp.Analyze, exp.Comment, exp.TruncateTable,
)  # fmt: skip
_PARAMETERS = (exp.Placeholder, exp.Parameter, exp.SessionParameter)


@dataclass(frozen=True)
class GuardedSql:
    """SQL that passed the guard, in the warehouse's dialect, and what it reads."""

    sql: str
    tables: tuple[str, ...]
    columns: tuple[str, ...]
    """'table.column' for every model column the query reads."""


def check_sql(
    sql: str,
    model: SemanticModel,
    *,
    dialect: str = "duckdb",
    read: str | None = None,
    row_cap: int = DEFAULT_ROW_CAP,
) -> GuardedSql:
    """Accept one SELECT over the model's tables and columns, with a LIMIT of at most `row_cap`.

    `read` is the dialect the SQL is written in (default: the warehouse's `dialect`); the result
    is transpiled to `dialect`. Raises GuardError naming the problem and what is allowed.
    """
    try:
        tree = _parse_one(sql, read or dialect)
        _check_kind(tree)
        _check_nodes(tree)
        tables = check_tables(tree, model)
        qualified, columns = qualify_columns(tree, model, read or dialect)
        _enforce_limit(qualified, row_cap)
        text = qualified.sql(dialect=dialect, comments=False)
    except RecursionError:
        raise GuardError(
            "The SQL is nested too deeply to check.", hint="Flatten the expression."
        ) from None
    except SqlglotError as error:
        raise GuardError(f"The query can't be written in the {dialect} dialect: {error}") from None
    log.info("guard accepted a query over %s", ", ".join(tables) or "no tables")
    return GuardedSql(text, tables, columns)


def _parse_one(sql: str, dialect: str) -> exp.Expr:
    if len(sql) > MAX_SQL_CHARS:
        raise GuardError(
            f"The SQL is {len(sql):,} characters long; at most {MAX_SQL_CHARS:,} are accepted.",
            hint="Send one focused SELECT.",
        )
    try:
        statements = sqlglot.parse(sql, read=dialect)
    except (ParseError, TokenError) as error:
        raise GuardError(f"The SQL could not be parsed: {_first_error(error)}") from None
    found = [s for s in statements if s is not None and not isinstance(s, exp.Semicolon)]
    if not found:
        raise GuardError("The SQL is empty.", hint="Send one SELECT statement.")
    if sum(1 for _ in found[0].walk()) > MAX_NODES:
        raise GuardError(
            f"The SQL has more than {MAX_NODES:,} parts; it is too complex to check.",
            hint="Split it into smaller queries.",
        )
    if len(found) > 1:
        kinds = ", ".join(_kind(s) for s in found)
        raise GuardError(
            f"Only one statement is allowed; got {len(found)} ({kinds}).",
            hint="Send a single SELECT (CTEs and UNION are fine) without ';'-separated parts.",
        )
    return found[0]


def _check_kind(tree: exp.Expr) -> None:
    query = tree.this if isinstance(tree, exp.Subquery) else tree
    if not isinstance(query, exp.Select | exp.SetOperation):
        raise GuardError(
            f"Only SELECT queries are allowed; got {_kind(tree)}.",
            hint="The warehouse is read-only: write a SELECT (WITH ... SELECT and UNION are fine).",
        )


def _check_nodes(tree: exp.Expr) -> None:
    for node in tree.walk():
        if isinstance(node, _WRITES + _NOT_QUERIES):
            raise GuardError(
                f"{_kind(node)} is not allowed inside a query.",
                hint="Only reading with SELECT is allowed.",
            )
        if isinstance(node, _PARAMETERS):
            raise GuardError(
                f"Parameters like '{node.sql()}' are not supported.",
                hint="Write the values into the SQL as literals.",
            )
        if isinstance(node, exp.Func) and not functions.is_allowed(node):
            raise GuardError(
                f"Function {functions.function_name(node)} is not allowed.",
                hint=f"Allowed: {functions.describe_allowed()}.",
            )


def _enforce_limit(tree: exp.Expr, row_cap: int) -> None:
    """Add a LIMIT, or lower one above the cap, on the outermost query."""
    query = tree.this if isinstance(tree, exp.Subquery) else tree
    assert isinstance(query, exp.Query)
    current = query.args.get("limit")
    value = _literal_int(current.expression) if isinstance(current, exp.Limit) else None
    if isinstance(current, exp.Fetch):
        value = _literal_int(current.args.get("count"))
    if current is not None and value is None:
        raise GuardError(
            f"LIMIT must be a whole number; got '{current.sql()}'.",
            hint=f"Write LIMIT n with n at most {row_cap:,}.",
        )
    if value is None or value > row_cap:
        query.set("limit", exp.Limit(expression=exp.Literal.number(row_cap)))


def _literal_int(node: exp.Expr | None) -> int | None:
    if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
        return int(node.this)
    return None


def _kind(node: exp.Expr) -> str:
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if isinstance(node, exp.Into):
        return "SELECT ... INTO"
    return node.key.upper().replace("_", " ")


def _first_error(error: ParseError | TokenError) -> str:
    if isinstance(error, ParseError) and error.errors:
        first = error.errors[0]
        return f"{first.get('description')} at line {first.get('line')}, column {first.get('col')}."
    return str(error).splitlines()[0]
