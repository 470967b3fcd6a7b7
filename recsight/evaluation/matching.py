"""Whether an answer's rows are the gold rows.

Rules: the dimension columns come first and may appear in any order (the same breakdown, columns
swapped, is the same answer); after them the metric columns are matched by position, never by
name; rows are compared as multisets unless order is part of the answer; numbers match within a
relative tolerance; dates and text match exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import permutations
from typing import Any

REL_TOL = 1e-6
ABS_TOL = 1e-12
Value = str | float | bool | None


@dataclass(frozen=True)
class Table:
    """Result rows whose first `dimensions` columns are dimensions and the rest metrics."""

    columns: list[str]
    dimensions: int
    rows: list[tuple[Any, ...]]

    @property
    def metrics(self) -> int:
        return len(self.columns) - self.dimensions


@dataclass(frozen=True)
class Verdict:
    match: bool
    reason: str = ""


def normalize(value: Any) -> Value:
    """One representation per value: numbers as floats, dates as ISO text, NaN as null."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return None if math.isnan(number) else number
    return str(value)


def same_value(expected: Value, got: Value, rel_tol: float = REL_TOL) -> bool:
    if isinstance(expected, float) and isinstance(got, float):
        return math.isclose(expected, got, rel_tol=rel_tol, abs_tol=ABS_TOL)
    return type(expected) is type(got) and expected == got


def same_row(expected: Sequence[Value], got: Sequence[Value], rel_tol: float = REL_TOL) -> bool:
    return len(expected) == len(got) and all(
        same_value(e, g, rel_tol) for e, g in zip(expected, got, strict=True)
    )


def compare(expected: Table, got: Table, *, ordered: bool, rel_tol: float = REL_TOL) -> Verdict:
    """Whether `got` holds the same rows as `expected` under the rules above."""
    shape = _shape_problem(expected, got)
    if shape:
        return Verdict(False, shape)
    want = [[normalize(v) for v in row] for row in expected.rows]
    first: Verdict | None = None
    for order in permutations(range(got.dimensions)):
        have = [_reordered(row, order, got.dimensions) for row in got.rows]
        verdict = _compare_rows(want, have, ordered, rel_tol)
        if verdict.match:
            return verdict
        first = first or verdict
    assert first is not None, "permutations of any length yield at least one order"
    return first


def _shape_problem(expected: Table, got: Table) -> str:
    if expected.dimensions != got.dimensions:
        return (
            f"expected {expected.dimensions} dimension column(s), got {got.dimensions} "
            f"({', '.join(got.columns[: got.dimensions]) or 'none'})"
        )
    if expected.metrics != got.metrics:
        return f"expected {expected.metrics} metric column(s), got {got.metrics}"
    if len(expected.rows) != len(got.rows):
        return f"expected {len(expected.rows)} row(s), got {len(got.rows)}"
    return ""


def _reordered(row: Sequence[Any], order: tuple[int, ...], dimensions: int) -> list[Value]:
    values = [normalize(v) for v in row]
    return [values[i] for i in order] + values[dimensions:]


def _compare_rows(
    want: list[list[Value]], have: list[list[Value]], ordered: bool, rel_tol: float
) -> Verdict:
    if ordered:
        for number, (w, h) in enumerate(zip(want, have, strict=True), start=1):
            if not same_row(w, h, rel_tol):
                return Verdict(False, f"row {number}: expected {w}, got {h}")
        return Verdict(True)
    unused = list(range(len(have)))
    for w in want:
        hit = next((i for i in unused if same_row(w, have[i], rel_tol)), None)
        if hit is None:
            return Verdict(False, f"no row matches expected {w}")
        unused.remove(hit)
    return Verdict(True)
