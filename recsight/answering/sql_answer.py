"""Answers from model-written SQL: guarded again, run, and labelled plainly as such.

Such SQL bypasses the semantic layer, so the answer carries no semantic query, no units and no
computed story beyond the row count; its caveats say where the number came from.
"""

from __future__ import annotations

import time

from recsight.answering.answer import Answer
from recsight.answering.chart import chart_spec
from recsight.answering.formatting import plain_rows
from recsight.engine import Engine
from recsight.planning.base import Plan, PlanContext

_NUMERIC = (
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
    "UBIGINT", "UHUGEINT", "FLOAT", "REAL", "DOUBLE", "DECIMAL",
)  # fmt: skip


def answer_sql(engine: Engine, plan: Plan, *, question: str, context: PlanContext) -> Answer:
    """Run a plan's SQL once the SQL guard passes it, whichever planner made the plan."""
    from recsight.guard import check_sql

    assert plan.sql is not None, "answer_sql needs a plan with SQL"
    started = time.perf_counter()
    guarded = check_sql(plan.sql, engine.model, dialect="duckdb", row_cap=engine.warehouse.row_cap)
    result = engine.warehouse.run(guarded.sql)
    rows = plain_rows(result.rows)
    count = len(rows)
    answer = Answer(
        question=question,
        restatement=f"SQL written by the LLM for: {question.strip()}",
        query=None,
        sql=guarded.sql,
        columns=result.columns,
        kinds={c: _kind(t) for c, t in zip(result.columns, result.types, strict=True)},
        rows=rows,
        truncated=result.truncated,
        explanation=[
            f"The SQL returned {count} row{'s' if count != 1 else ''}; the numbers are as the "
            "warehouse computed them from that SQL."
        ],
        caveats=list(plan.notes),
        data_range=context.data_range,
        planner=plan.planner,
        usage=plan.usage,
        facts={"row_count": count},
    )
    answer.chart = chart_spec(answer)
    answer.elapsed_ms = (time.perf_counter() - started) * 1000
    return answer


def _kind(duckdb_type: str) -> str:
    """Numbers are charted and right-aligned as metrics; everything else groups, as a dimension."""
    return "metric" if duckdb_type.upper().startswith(_NUMERIC) else "dimension"
