"""Which tables and columns a query reads, checked against what the semantic model declares."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import traverse_scope

from semantic_layer.errors import GuardError, closest, unknown_name
from semantic_layer.spec import SemanticModel


def model_tables(model: SemanticModel) -> dict[str, list[str]]:
    """Physical table name (lower case) -> its declared columns."""
    return {t.sql_table.lower(): list(t.columns) for t in model.tables.values()}


def check_tables(tree: exp.Expr, model: SemanticModel) -> tuple[str, ...]:
    """The model tables the query reads; anything else in FROM or JOIN is refused."""
    declared = model_tables(model)
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    used: dict[str, None] = {}
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            raise GuardError(
                f"'{table.this.sql()}' in FROM is not a table.",
                hint="Read only the semantic model's tables: " + ", ".join(sorted(declared)) + ".",
            )
        if table.args.get("db") or table.args.get("catalog"):
            raise GuardError(
                f"Table '{table.sql()}' names a schema or database; only the semantic model's "
                "tables may be read.",
                hint="Write the bare table name: " + ", ".join(sorted(declared)) + ".",
            )
        name = table.name.lower()
        if name in ctes:
            continue
        if name not in declared:
            raise GuardError(unknown_name("table", table.name, declared))
        used[name] = None
    return tuple(used)


def qualify_columns(
    tree: exp.Expr, model: SemanticModel, dialect: str
) -> tuple[exp.Expr, tuple[str, ...]]:
    """The query with every column bound to its table and `*` expanded to declared columns.

    Expanding `*` from the model (not the warehouse) is what keeps undeclared columns out.
    """
    declared = model_tables(model)
    schema: dict[str, object] = {t: dict.fromkeys(cols, "VARCHAR") for t, cols in declared.items()}
    try:
        qualified = qualify(
            tree.copy(), schema=schema, dialect=dialect, quote_identifiers=False, identify=False
        )
    except SqlglotError as error:
        raise GuardError(_column_message(tree, declared, error)) from None
    return qualified, _columns_read(qualified, declared)


def _columns_read(tree: exp.Expr, declared: dict[str, list[str]]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for scope in traverse_scope(tree):
        for column in scope.columns:
            source = scope.sources.get(column.table)
            if isinstance(source, exp.Table) and source.name.lower() in declared:
                found[f"{source.name.lower()}.{column.name}"] = None
    return tuple(found)


def _column_message(tree: exp.Expr, declared: dict[str, list[str]], error: SqlglotError) -> str:
    """Name the unknown column, the columns of the tables the query reads, and the closest one."""
    tables = {t.name.lower() for t in tree.find_all(exp.Table)} & set(declared)
    valid = [c for t in sorted(tables) for c in declared[t]]
    aliases = {a.alias.lower() for a in tree.find_all(exp.Alias)}
    aliases |= {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    for column in tree.find_all(exp.Column):
        name = column.name.lower()
        if name in {c.lower() for c in valid} or name in aliases or not name:
            continue
        text = unknown_name("column", column.name, valid, where=_where(tables))
        if not tables:
            text += " Tables: " + ", ".join(sorted(declared)) + "."
        if column.this.args.get("quoted") or " " in column.name:
            text += " Text values take single quotes: 'Neural Network', not \"Neural Network\"."
        return text
    first = str(error).splitlines()[0]
    suggestion = closest(first, valid, limit=1)
    return f"A column could not be resolved: {first}." + (
        f" Did you mean '{suggestion[0]}'?" if suggestion else ""
    )


def _where(tables: set[str]) -> str:
    return f"(in {', '.join(sorted(tables))})" if tables else "(the query reads no model table)"
