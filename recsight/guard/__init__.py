"""The SQL guard: checks SQL written outside the semantic layer (by a user or a model) before it
runs.

guarded = check_sql("SELECT algorithm, count(*) FROM impressions GROUP BY 1", model)
warehouse.run(guarded.sql)
"""

from recsight.guard.check import DEFAULT_ROW_CAP, MAX_SQL_CHARS, GuardedSql, check_sql

__all__ = ["DEFAULT_ROW_CAP", "MAX_SQL_CHARS", "GuardedSql", "check_sql"]
