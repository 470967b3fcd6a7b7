"""The functions guarded SQL may call: an allow-list by sqlglot class, grouped for error messages.

Anything not listed is refused, so a function sqlglot learns to parse later (a new file reader, a
settings getter) stays out until someone decides it is safe. Functions sqlglot does not know come
through as `exp.Anonymous`; only the few names in `ANONYMOUS` pass.
"""

from __future__ import annotations

from sqlglot import exp

# fmt: off
GROUPS: dict[str, tuple[str, tuple[type[exp.Func], ...]]] = {
    "aggregates": (
        "count, sum, avg, min, max, count_if, approx_count_distinct, median, mode, quantile_cont, "
        "stddev, variance, corr, arg_max, arg_min, any_value, first, bool_and, string_agg, list",
        (
            exp.Count, exp.Sum, exp.Avg, exp.Min, exp.Max, exp.CountIf, exp.ApproxDistinct,
            exp.Median, exp.Mode, exp.Quantile, exp.PercentileCont, exp.PercentileDisc,
            exp.ApproxQuantile, exp.Stddev, exp.StddevPop, exp.StddevSamp, exp.Variance,
            exp.VariancePop, exp.Corr, exp.CovarPop, exp.CovarSamp, exp.ArgMax, exp.ArgMin,
            exp.AnyValue, exp.First, exp.Last, exp.LogicalAnd, exp.LogicalOr, exp.GroupConcat,
            exp.ArrayAgg,
        ),
    ),
    "window functions": (
        "row_number, rank, dense_rank, percent_rank, cume_dist, ntile, lag, lead, first_value, "
        "last_value, nth_value",
        (
            exp.RowNumber, exp.Rank, exp.DenseRank, exp.PercentRank, exp.CumeDist, exp.Ntile,
            exp.Lag, exp.Lead, exp.FirstValue, exp.LastValue, exp.NthValue,
        ),
    ),
    "conditionals": (
        "CASE, if, coalesce, nullif, greatest, least, EXISTS",
        (
            exp.Case, exp.If, exp.Coalesce, exp.Nullif, exp.Greatest, exp.Least, exp.And, exp.Or,
            exp.Exists,
        ),
    ),
    "casts": ("CAST, TRY_CAST, ::type, typeof", (exp.Cast, exp.TryCast, exp.Typeof)),
    "math": (
        "abs, round, ceil, floor, trunc, sqrt, power, exp, ln, log10, sign",
        (
            exp.Abs, exp.Round, exp.Ceil, exp.Floor, exp.Trunc, exp.Sqrt, exp.Pow, exp.Exp,
            exp.Ln, exp.Log, exp.Sign, exp.SafeDivide,
        ),
    ),
    "text": (
        "lower, upper, length, substring, concat, concat_ws, trim, replace, left, right, lpad, "
        "split_part, starts_with, ends_with, contains, strpos, regexp_matches, regexp_extract",
        (
            exp.Lower, exp.Upper, exp.Length, exp.Substring, exp.Concat, exp.ConcatWs, exp.Trim,
            exp.Replace, exp.Left, exp.Right, exp.Pad, exp.SplitPart, exp.StartsWith,
            exp.EndsWith, exp.Contains, exp.StrPosition, exp.RegexpLike, exp.RegexpExtract,
            exp.Initcap,
        ),
    ),
    "dates and times": (
        "date_trunc, date_part, extract, current_date, now, date_add, date_diff, make_date, "
        "strftime, strptime, epoch, year, quarter, month, week, day, dayofweek, isodow, hour, "
        "monthname, dayname, last_day",
        (
            exp.DateTrunc, exp.TimestampTrunc, exp.Extract, exp.CurrentDate,
            exp.CurrentTimestamp, exp.DateAdd, exp.DateSub, exp.DateDiff, exp.Date,
            exp.DateFromParts, exp.TimeToStr, exp.StrToTime, exp.StrToDate, exp.TsOrDsToDate,
            exp.TimeToUnix, exp.UnixToTime, exp.Year, exp.Quarter, exp.Month, exp.Week,
            exp.WeekOfYear, exp.Day, exp.DayOfWeek, exp.DayOfWeekIso, exp.DayOfMonth,
            exp.DayOfYear, exp.Hour, exp.Minute, exp.Second, exp.Monthname, exp.Dayname,
            exp.LastDay,
        ),
    ),
    "lists": ("[a, b] literals, array_length", (exp.Array, exp.ArraySize)),
}
# fmt: on

ANONYMOUS = frozenset({"date_part", "datepart", "now"})
"""DuckDB functions sqlglot has no class for, read as harmless."""

ALLOWED: frozenset[type[exp.Func]] = frozenset(c for _, group in GROUPS.values() for c in group)


def is_allowed(node: exp.Func) -> bool:
    if isinstance(node, exp.Anonymous):
        return node.name.lower() in ANONYMOUS
    return type(node) in ALLOWED


def function_name(node: exp.Func) -> str:
    """The name as the user wrote it (READ_CSV), not sqlglot's class name (ReadCSV)."""
    if isinstance(node, exp.Anonymous):
        return node.name.upper()
    return node.sql_name()


def describe_allowed() -> str:
    return "; ".join(f"{group} ({names})" for group, (names, _) in GROUPS.items())
