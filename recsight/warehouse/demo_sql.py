"""Plumbing shared by the demo warehouse steps: parameters, SQL macros and small config tables.

Every generated value is a function of a row key and the seed through DuckDB's `hash`, never of
`random()`, so a build is reproducible whatever the thread count or the order rows come out in.
Scalar parameters live in DuckDB variables, read back with `getvariable`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

import duckdb

MACROS_SQL = """
-- A uniform draw in [0, 1) for a row key and a purpose, fixed by the seed.
CREATE TEMP MACRO draw(key, purpose) AS
    (hash(key, purpose, getvariable('seed')) >> 11) / 9007199254740992.0;

-- The name whose cumulative upper bound first exceeds u (bounds omit the final 1.0; at most
-- five). Spelled out rather than with a lambda, which costs three times as much per row.
CREATE TEMP MACRO pick(u, names, bounds) AS names[1
    + (u >= coalesce(bounds[1], 2))::INTEGER + (u >= coalesce(bounds[2], 2))::INTEGER
    + (u >= coalesce(bounds[3], 2))::INTEGER + (u >= coalesce(bounds[4], 2))::INTEGER
    + (u >= coalesce(bounds[5], 2))::INTEGER];

-- Customer position -> customer id: an affine permutation of 1..customer_count.
CREATE TEMP MACRO customer_at(position) AS
    ((position * getvariable('customer_step') + getvariable('customer_shift'))
        % getvariable('customer_count'))::INTEGER + 1;

-- Whole units of a running total that fall in (previous, running], shifted by `shift` in
-- [0, 1): rounding a sequence of expected counts this way keeps every prefix sum within one of
-- its expected value, and the grand total exact when it is a whole number.
CREATE TEMP MACRO share_out(running, previous, shift) AS
    (floor(running + shift) - floor(coalesce(previous, 0) + shift))::BIGINT;

-- An exponentially distributed delay in whole seconds, at least `shortest`, at most `longest`.
CREATE TEMP MACRO delay_seconds(u, shortest, mean, longest) AS
    least(longest, shortest + floor(-ln(1 - u) * mean))::BIGINT;
"""

Scalar = int | float | date | datetime
_SQL_TYPES: dict[type, str] = {int: "BIGINT", float: "DOUBLE", date: "DATE", datetime: "TIMESTAMP"}


def set_variables(con: duckdb.DuckDBPyConnection, values: Mapping[str, Scalar]) -> None:
    """Store scalar build parameters as DuckDB variables, typed by their Python type."""
    for name, value in values.items():
        con.execute(f"SET VARIABLE {name} = ?::{_SQL_TYPES[type(value)]}", [value])


def set_list(
    con: duckdb.DuckDBPyConnection, name: str, values: Sequence[object], kind: str
) -> None:
    """Store a list (a lookup, a set of names) as a DuckDB variable of type `kind`[]."""
    con.execute(f"SET VARIABLE {name} = ?::{kind}[]", [list(values)])


def load_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Mapping[str, object]]
) -> None:
    """Create a small temp config table (a mix, a layout) from dicts, one per row."""
    con.execute(
        f"CREATE TEMP TABLE {table} AS SELECT unnest($rows, recursive := true)",
        {"rows": list(rows)},
    )
