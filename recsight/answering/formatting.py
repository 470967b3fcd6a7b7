"""Turn result values into what people read (2.37%, $184,000) and what programs read (JSON)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from semantic_layer.compiler import OutputColumn
from semantic_layer.spec import Unit

NOT_RECORDED = "(not recorded)"
"""How a missing dimension value (an untracked customer) reads in sentences and charts."""


def plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO text, decimals as floats, NaN as null."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def plain_rows(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    return [[plain(v) for v in row] for row in rows]


def format_value(value: Any, unit: Unit | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = float(value)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    if unit == "percent":
        return f"{value * 100:.2f}%"
    if unit == "currency":
        return f"${value:,.2f}" if abs(value) < 100 else f"${value:,.0f}"
    if unit == "count" or (isinstance(value, int)):
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def format_difference(value: float, unit: Unit | None, *, signed: bool = False) -> str:
    """A gap between two values of a metric: percentage points for rates, $ for currency.

    Small gaps (a slope per day) keep two significant digits instead of rounding to zero.
    """
    sign = ("+" if value > 0 else "−" if value < 0 else "") if signed else ""
    size = abs(value) if signed else value
    if unit == "percent":
        return f"{sign}{_small(size * 100, 2)} points"
    if unit == "count" and size and abs(size) < 10 and size != int(size):
        return sign + _small(size, 1)
    return sign + format_value(size, unit)


def _small(value: float, digits: int) -> str:
    """`value` to `digits` decimals, or to two significant digits if that would show zero."""
    if value == 0 or abs(value) >= 10**-digits:
        return f"{value:,.{digits}f}"
    return f"{value:.{1 - math.floor(math.log10(abs(value)))}f}"


def format_pair(first: float, second: float, unit: Unit | None) -> tuple[str, str]:
    """Two different values formatted so they don't read the same ($101 vs $101)."""
    a, b = format_value(first, unit), format_value(second, unit)
    for digits in (2, 3, 4, 5):
        if a != b or first == second:
            break
        if unit == "percent":
            a, b = f"{first * 100:.{digits + 1}f}%", f"{second * 100:.{digits + 1}f}%"
        elif unit == "currency":
            a, b = f"${first:,.{digits}f}", f"${second:,.{digits}f}"
        else:
            a, b = f"{first:,.{digits + 2}g}", f"{second:,.{digits + 2}g}"
    return a, b


def format_percent(fraction: float, *, digits: int = 1, signed: bool = False) -> str:
    """A relative change or a share as a percentage: 0.477 -> 47.7%."""
    if fraction and abs(fraction) * 100 < 0.5 * 10**-digits:
        return f"<{10**-digits:.{digits}f}%"  # not "0.0%" for a difference that exists
    text = f"{abs(fraction) * 100:,.{digits}f}%" if signed else f"{fraction * 100:,.{digits}f}%"
    if signed and fraction:
        return ("+" if fraction > 0 else "−") + text
    return text


def format_p_value(p_value: float) -> str:
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def format_rows(columns: Sequence[OutputColumn], rows: Sequence[Sequence[Any]]) -> list[list[str]]:
    return [[format_value(v, c.unit) for v, c in zip(row, columns, strict=True)] for row in rows]


def to_csv(names: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(plain_rows(rows))
    return buffer.getvalue()


def to_markdown(names: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

    numeric = [bool(cells) and all(_looks_numeric(r[i]) for r in cells) for i in range(len(names))]
    rule = "| " + " | ".join("---:" if n else "---" for n in numeric) + " |"
    return "\n".join([line(names), rule, *(line(r) for r in cells)])


def _looks_numeric(text: str) -> bool:
    stripped = text.replace(",", "").replace("$", "").replace("%", "").replace("–", "")
    try:
        float(stripped or "0")
    except ValueError:
        return False
    return True
