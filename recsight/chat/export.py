"""Writing the last answer out: rows as CSV or Parquet, the chart as a PNG.

Parquet goes through pyarrow when it is installed, otherwise through a DuckDB in-memory database of
its own; the warehouse connection stays read-only and sandboxed (it can't write files at all).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from sqlglot import exp

from recsight.answering.answer import Answer
from recsight.answering.formatting import to_csv
from semantic_layer.errors import UserError

log = logging.getLogger(__name__)

FORMATS = ("csv", "parquet")


def write_rows(answer: Answer, format: str, path: Path) -> Path:
    _check_folder(path)
    if format == "csv":
        path.write_text(to_csv(answer.columns, answer.rows), encoding="utf-8")
    elif format == "parquet":
        _write_parquet(answer, path)
    else:
        raise UserError(f"Unknown export format '{format}'. Formats: {', '.join(FORMATS)}.")
    log.info("exported %d rows to %s", len(answer.rows), path)
    return path.resolve()


def write_chart(answer: Answer, path: Path) -> Path:
    if answer.chart is None:
        raise UserError(
            "The last answer has no chart (a single number, or too many columns to draw).",
            hint="Break it down first, e.g. 'by algorithm' or 'by week'.",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    from recsight.answering.chart import render_png

    return Path(render_png(answer.chart, path)).resolve()


def _check_folder(path: Path) -> None:
    if not path.parent.is_dir():
        raise UserError(
            f"Folder '{path.parent}' does not exist.", hint="Create it or pick another."
        )
    if path.is_dir():
        raise UserError(f"'{path}' is a folder.", hint="Give a file name, e.g. answer.parquet.")


def _write_parquet(answer: Answer, path: Path) -> None:
    columns = _typed_columns(answer)
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        _write_parquet_with_duckdb(columns, path)
        return
    pq.write_table(pa.table({name: values for name, _, values in columns}), str(path))


def _write_parquet_with_duckdb(columns: list[tuple[str, str, list[Any]]], path: Path) -> None:
    import duckdb

    table = exp.to_table("answer")
    schema = exp.Schema(
        this=table,
        expressions=[
            exp.ColumnDef(this=exp.to_identifier(name, quoted=True), kind=exp.DataType.build(kind))
            for name, kind, _ in columns
        ],
    )
    create = exp.Create(this=schema, kind="TABLE")
    values = exp.Tuple(expressions=[exp.Placeholder() for _ in columns])
    insert = exp.Insert(this=table.copy(), expression=exp.Values(expressions=[values]))
    rows = list(zip(*(values for _, _, values in columns), strict=True))
    with duckdb.connect(":memory:") as scratch:
        scratch.execute(create.sql("duckdb"))
        if rows:
            scratch.executemany(insert.sql("duckdb"), rows)
        scratch.table("answer").write_parquet(str(path))


def _typed_columns(answer: Answer) -> list[tuple[str, str, list[Any]]]:
    """Each column's name, SQL type and values; ISO-date text of a dimension becomes dates."""
    typed = []
    for index, name in enumerate(answer.columns):
        values = [row[index] for row in answer.rows]
        kind = _sql_type([v for v in values if v is not None])
        if kind == "VARCHAR" and answer.kinds.get(name) == "dimension" and _all_dates(values):
            kind, values = "DATE", [date.fromisoformat(v) if v else None for v in values]
        elif kind == "VARCHAR":
            values = [None if v is None else str(v) for v in values]
        typed.append((name, kind, values))
    return typed


def _sql_type(values: list[Any]) -> str:
    if values and all(isinstance(v, bool) for v in values):
        return "BOOLEAN"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "BIGINT"
    if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "DOUBLE"
    return "VARCHAR"


def _all_dates(values: list[Any]) -> bool:
    present = [v for v in values if v is not None]
    if not present:
        return False
    try:
        return all(isinstance(v, str) and len(v) == 10 and date.fromisoformat(v) for v in present)
    except ValueError:
        return False
