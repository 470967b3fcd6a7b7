"""`recsight query` output: a readable table, JSON, or CSV."""

from __future__ import annotations

import json

from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from recsight import config
from recsight.answering.formatting import format_rows, plain_rows, to_csv
from recsight.engine import Engine, QueryResult
from semantic_layer.compiler import CompiledQuery, compile_query
from semantic_layer.dialects import check_dialect
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery


def compile_checked(query: SemanticQuery, model: str | None, dialect: str) -> CompiledQuery:
    """The compiled query; fails on unknown names or an unknown dialect, touching no warehouse."""
    check_dialect(dialect)
    return compile_query(load_model(config.model_path(model)), query)


def result_json(outcome: QueryResult) -> dict[str, object]:
    result = outcome.result
    return {
        "query": outcome.compiled.query.model_dump(mode="json", exclude_defaults=True),
        "sql": outcome.sql,
        "columns": result.columns,
        "units": {c.name: c.unit for c in outcome.compiled.columns if c.unit},
        "rows": plain_rows(result.rows),
        "row_count": len(result.rows),
        "truncated": result.truncated,
        "elapsed_ms": round(result.elapsed_ms, 1),
    }


def show_result(
    engine: Engine, query: SemanticQuery, format: str, show_sql: bool, dialect: str
) -> None:
    outcome = engine.query(query)
    if format == "json":
        print(json.dumps(result_json(outcome), indent=2))
        return
    if format == "csv":
        print(to_csv(outcome.result.columns, outcome.result.rows), end="")
        return
    from recsight.answering.render import table_width

    table = result_table(outcome)
    needed = table_width(table)
    console = Console()
    if needed > console.width:
        console = Console(width=needed)  # a cropped number is worse than a wide line
    console.print(table)
    if outcome.result.truncated:
        console.print(
            f"[yellow]Showing the first {len(outcome.result.rows):,} rows; add --limit "
            "or filters to see a smaller set.[/yellow]"
        )
    if show_sql:
        # Rendered from the compiled tree, not transpiled from DuckDB text, which loses meaning
        # (a DuckDB week would read back as a Sunday-based BigQuery week).
        console.print(Syntax(outcome.compiled.sql(dialect), "sql", word_wrap=True))


def result_table(outcome: QueryResult) -> Table:
    from recsight.answering.render import sized_table

    columns = outcome.compiled.columns
    cells = format_rows(columns, outcome.result.rows)
    table = sized_table([c.name for c in columns], [c.kind == "metric" for c in columns], cells)
    if not outcome.result.rows:
        table.caption = "No rows: nothing matched the filters and time range."
    return table
