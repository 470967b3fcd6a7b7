"""The tools that compute: query_metrics, ask, compile_sql and run_sql."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from mcp_types import CallToolResult

from server import arguments as arg
from server.reporting import reported
from server.schemas import CompiledSql, QueryAnswer, SqlResult

if TYPE_CHECKING:
    from recsight.answering.answer import Answer
    from semantic_layer.query import SemanticQuery
    from server.state import ServerState

RUN_SQL_TIMEOUT_S = 15.0


class QueryTools:
    state: ServerState

    @reported
    def query_metrics(
        self,
        metrics: arg.Metrics,
        dimensions: arg.Dimensions = (),
        filters: arg.Filters = (),
        time_range: arg.TimeRange = None,
        order_by: arg.OrderBy = (),
        limit: arg.Limit = None,
        having: arg.Having = (),
    ) -> Annotated[CallToolResult, QueryAnswer]:
        """Compute metrics, optionally grouped by dimensions, filtered, over a time range. This is
        the precise way to get a number: use the exact names from list_metrics and
        list_dimensions and values from get_dimension_values. Returns the result table, how the
        request was read, the SQL that ran, an explanation computed from the numbers, and a chart
        image when one helps. Example: metrics ['ctr'], dimensions ['algorithm'], filters
        [{dimension: 'category', operator: '=', values: ['Outerwear']}], order_by ['-ctr']."""
        from recsight.answering.ask import answer_query
        from server.results import answer_result

        query = _semantic_query(metrics, dimensions, filters, time_range, order_by, limit, having)
        answer = answer_query(self.state.engine(), query)
        if _nothing_found(answer):
            _check_filter_values(self.state, query)
            _check_time_range(answer)
        return answer_result(answer)

    @reported
    def ask(self, question: arg.Question) -> Annotated[CallToolResult, QueryAnswer]:
        """Answer a question about recommendation performance in plain English, e.g. 'Is the
        neural network beating collaborative filtering on CTR for high-value customers?'. The
        server reads the question with its own planner and says how it read it (check the
        restatement). When it can't read the question safely it refuses and says what would
        work; then call query_metrics with explicit names instead."""
        from recsight.answering.ask import ask
        from semantic_layer.errors import PlanningError
        from server.results import answer_result

        try:
            answer: Answer = ask(self.state.engine(), question)
        except PlanningError as refusal:
            raise PlanningError(
                refusal.message,
                hint=f"{refusal.hint} Or call query_metrics with explicit metrics and dimensions.",
            ) from None
        return answer_result(answer)

    @reported
    def compile_sql(
        self,
        metrics: arg.Metrics,
        dimensions: arg.Dimensions = (),
        filters: arg.Filters = (),
        time_range: arg.TimeRange = None,
        order_by: arg.OrderBy = (),
        limit: arg.Limit = None,
        having: arg.Having = (),
        dialect: arg.Dialect = "duckdb",
    ) -> Annotated[CallToolResult, CompiledSql]:
        """Show the SQL that query_metrics would run for these arguments, without running it, in
        the chosen SQL dialect (duckdb, snowflake, bigquery, postgres, ...). Use it to explain or
        reuse a metric's definition elsewhere."""
        from recsight.answering.restate import restate
        from semantic_layer.compiler import compile_query
        from server.results import result

        query = _semantic_query(metrics, dimensions, filters, time_range, order_by, limit, having)
        compiled = compile_query(self.state.model, query)
        sql = compiled.sql(dialect)
        restatement = restate(self.state.model, query)
        structured = CompiledSql(
            restatement=restatement,
            query=query.model_dump(mode="json", exclude_defaults=True),
            dialect=dialect,
            sql=sql,
            columns=[c.name for c in compiled.columns],
        )
        return result(f"**{restatement}** ({dialect} SQL):\n\n```sql\n{sql}\n```", structured)

    @reported
    def run_sql(self, sql: arg.Sql) -> Annotated[CallToolResult, SqlResult]:
        """Run one read-only SELECT for what query_metrics can't express (row-level lookups,
        unusual joins). Prefer query_metrics: its metric definitions are the agreed ones. The SQL
        guard allows only SELECT (CTEs and UNION are fine) over the semantic model's tables and
        columns, no file, network or settings functions, and caps the rows; a refusal says what
        is allowed."""
        from recsight.guard import check_sql
        from server.results import sql_result

        guarded = check_sql(sql, self.state.model, row_cap=arg.MAX_RESULT_ROWS + 1)
        engine = self.state.engine()
        outcome = engine.warehouse.run(
            guarded.sql, row_cap=arg.MAX_RESULT_ROWS, timeout_s=RUN_SQL_TIMEOUT_S
        )
        return sql_result(guarded, outcome)


def _semantic_query(
    metrics: list[str],
    dimensions: tuple[str, ...],
    filters: tuple[arg.FilterArg, ...],
    time_range: arg.TimeRangeArg | None,
    order_by: tuple[str, ...],
    limit: int | None,
    having: tuple[arg.HavingArg, ...],
) -> SemanticQuery:
    from semantic_layer.query import SemanticQuery

    return SemanticQuery.model_validate(
        {
            "metrics": list(metrics),
            "dimensions": list(dimensions),
            "filters": [f.model_dump() for f in filters],
            "having": [h.model_dump() for h in having],
            "time_range": time_range.model_dump() if time_range else None,
            "order_by": list(order_by),
            "limit": limit,
        }
    )


def _nothing_found(answer: Answer) -> bool:
    """No rows, or only rows whose metrics are all empty (a total over zero matching rows)."""
    metrics = [answer.columns.index(c) for c in answer.metric_columns()]
    return all(all(row[i] in (None, 0) for i in metrics) for row in answer.rows)


def _check_filter_values(state: ServerState, query: SemanticQuery) -> None:
    """An empty result from a misspelt filter value is a repairable mistake: say so."""
    from semantic_layer.errors import FilterError, unknown_name

    known = state.engine().values()
    for item in query.filters:
        spellings = known.get(item.dimension)
        if item.operator not in ("=", "in") or not spellings:
            continue
        for value in item.values:
            if str(value) not in spellings:
                raise FilterError(
                    "No rows matched: "
                    + unknown_name("value", str(value), spellings, where=f"of {item.dimension}"),
                    hint="Values are case-sensitive; see get_dimension_values.",
                )


def _check_time_range(answer: Answer) -> None:
    """A time range wholly outside the data is a repairable mistake too."""
    from semantic_layer.errors import TimeRangeError

    asked, data = answer.time_range, answer.data_range
    if asked is None or data is None or (asked.end >= data.start and asked.start <= data.end):
        return
    raise TimeRangeError(
        f"No data from {asked.start} to {asked.end}: the warehouse covers {data.start} to "
        f"{data.end}.",
        hint="Pick days inside that span, or leave out time_range for all of it.",
    )
