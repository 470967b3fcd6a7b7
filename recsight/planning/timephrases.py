"""Time ranges and grains as analysts say them: "last 7 days", "in October", "since Nov 3",
"between Nov 1 and Nov 15", "weekly", "week over week". Ranges are inclusive and count back from
an as-of day, which is never itself included ("last 7 days" on Dec 1 is Nov 24-30)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from recsight.planning.text import NUMBER_WORDS
from semantic_layer.errors import TimeRangeError
from semantic_layer.query import TimeRange
from semantic_layer.spec import Grain

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_MONTHS |= {m[:3]: i for m, i in list(_MONTHS.items())} | {"sept": 9}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?!\d)(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+"
    rf"{_MONTH}(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})"
)
TIME_WORDS = frozenset(
    [
        *(m for m in _MONTHS if len(m) > 3),
        "month",
        "months",
        "week",
        "weeks",
        "quarter",
        "year",
        "yesterday",
        "today",
        "daily",
        "weekly",
        "monthly",
        "quarterly",
        "since",
        "between",
        "last",
        "past",
        "previous",
        "hourly",
        "weekday",
        "weekend",
        "trend",
        "days",
    ]
)
_UNITS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}
_COUNT = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"

_GRAINS: list[tuple[str, Grain | None]] = [
    (
        r"\b(?:by|per|each|every)\s+(?:the\s+)?(?:day\s+of\s+(?:the\s+)?week|weekday)s?\b|"
        r"\bdays?[- ]of[- ](?:the[- ])?week\b|\bweekdays?\b|\b(?:which|what)\s+day\s+of\s+"
        r"(?:the\s+)?week\b",
        Grain.day_of_week,
    ),
    (
        r"\b(?:by|per|each|every)\s+hour(?:\s+of\s+(?:the\s+)?day)?\b|"
        r"\bhours?[- ]of[- ](?:the[- ])?"
        r"day\b|\bhourly\b|\btime\s+of\s+(?:the\s+)?day\b|"
        r"\b(?:which|what)\s+hours?(?:\s+of\s+(?:the\s+)?day)?\b|"
        r"\b(?:(?:top|best|worst|busiest|peak)\s+(?:\d+\s+)?|\d+\s+(?:top|best|worst|busiest|"
        r"peak)\s+)(?:\w+\s+)?hours\b",
        Grain.hour_of_day,
    ),
    (
        r"\bweek[- ]over[- ]week\b|\bweek\s+to\s+week\b|\bwow\b|\bweekly\b|\b(?:by|per|each|every)"
        r"\s+(?:the\s+)?week\b|\bweek\s+by\s+week\b|\b(?:which|what)\s+week\b|"
        r"\b(?:(?:top|best|worst|busiest|peak)\s+(?:\d+\s+)?|\d+\s+(?:top|best|worst|busiest|"
        r"peak)\s+)(?:\w+\s+)?weeks\b",
        Grain.week,
    ),
    (
        r"\bmonth[- ]over[- ]month\b|\bmonth\s+to\s+month\b|\bmom\b|\bmonthly\b|"
        r"\b(?:by|per|each|every)\s+(?:the\s+)?month\b|\bmonth\s+by\s+month\b|"
        r"\b(?:which|what)\s+month\b|\b(?:(?:top|best|worst|busiest|peak)\s+(?:\d+\s+)?|\d+\s+"
        r"(?:top|best|worst|busiest|peak)\s+)(?:\w+\s+)?months\b",
        Grain.month,
    ),
    (r"\bquarterly\b|\b(?:by|per|each)\s+quarter\b", Grain.quarter),
    (r"\byearly\b|\bannually\b|\b(?:by|per|each)\s+year\b", Grain.year),
    (
        r"\bdaily\b|\b(?:by|per|each|every)\s+(?:the\s+)?day\b|\bday\s+by\s+day\b|\bday[- ]over[- ]"
        r"day\b|\bday\s+to\s+day\b|\bdod\b|\b(?:which|what)\s+(?:single\s+)?day\b|"
        r"\b(?:(?:top|best|worst|busiest|peak)\s+(?:\d+\s+)?|\d+\s+(?:top|best|worst|busiest|"
        r"peak)\s+)(?:\w+\s+)?days\b",
        Grain.day,
    ),
    (
        r"\bover\s+time\b|\btrend(?:s|ing|ed|line)?\b|\btime\s+series\b|\btimeline\b|\bevolv\w*\b|"
        r"\bchang\w*\s+over\b|\bprogress(?:ion)?\b|\bhistory\b",
        None,
    ),
]


@dataclass
class TimeReading:
    time_range: TimeRange | None = None
    grain: Grain | None = None
    wants_trend: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)
    range_span: tuple[int, int] | None = None
    phrase: str = ""


def read_time(text: str, as_of: date, earliest: date | None = None) -> TimeReading:
    """Find a time range and a grain in lower-cased text; `earliest` anchors "before X"."""
    reading = TimeReading()
    for pattern, grain in _GRAINS:
        for match in re.finditer(pattern, text):
            reading.spans.append(match.span())
            if grain is None:
                reading.wants_trend = True
            elif reading.grain is None:
                reading.grain = grain
    months = _month_versus(text, as_of)
    if months is not None:
        reading.time_range, span = months
        reading.spans.append(span)
        reading.range_span = span
        reading.grain = reading.grain or Grain.month
        return reading
    readers = (
        _between,
        _since,
        _before(earliest),
        _relative,
        _quarter,
        _holiday,
        _week_of,
        _named,
        _single_day,
        _month_name,
        _year,
    )
    for reader in readers:
        found = reader(text, as_of)
        if found:
            reading.time_range, span = found
            reading.spans.append(span)
            reading.range_span = span
            reading.phrase = text[span[0] : span[1]]
            break
    return reading


def _between(text: str, as_of: date) -> tuple[TimeRange, tuple[int, int]] | None:
    pattern = (
        rf"\b(?:between|from)\s+({_DAY}|{_MONTH})\s+(?:and|to|through|until|-)\s+"
        rf"({_DAY}|{_MONTH})|({_DAY})\s*(?:-|to|through|until)\s*({_DAY})"
    )
    match = re.search(pattern, text)
    if not match:
        return None
    first, second = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
    start = _month_or_day(first, as_of, start=True)
    end = _month_or_day(second, as_of, start=False, after=start)
    return _range(start, end), match.span()


Found = tuple[TimeRange, tuple[int, int]] | None


def _month_versus(text: str, as_of: date) -> Found:
    match = re.search(
        rf"\b({_MONTH})(?:\s+\d{{4}})?\s+(?:vs\.?|versus|compared\s+(?:to|with)|"
        rf"against|and|or)\s+({_MONTH})\b(?!\s*\d{{1,2}}\b)",
        text,
    )
    if not match:
        return None
    first = _month_or_day(match.group(1), as_of, start=True)
    second = _month_or_day(match.group(2), as_of, start=True)
    low, high = sorted((first, second))
    end = date(high.year + high.month // 12, high.month % 12 + 1, 1) - timedelta(days=1)
    return _range(low, end), match.span()


def _before(earliest: date | None) -> Callable[[str, date], Found]:
    def read(text: str, as_of: date) -> Found:
        match = re.search(
            rf"\b(?:before|prior\s+to|until|up\s+to)\s+(?:the\s+)?({_DAY}|{_MONTH})", text
        )
        if not match:
            return None
        first_day = _month_or_day(match.group(1), as_of, start=True)
        start = earliest or date(first_day.year - 1, 1, 1)
        return _range(start, first_day - timedelta(days=1)), match.span()

    return read


def _quarter(text: str, as_of: date) -> Found:
    ordinals = {
        "first": 1,
        "second": 2,
        "third": 3,
        "fourth": 4,
        "1st": 1,
        "2nd": 2,
        "3rd": 3,
        "4th": 4,
    }
    match = re.search(
        r"\bq([1-4])(?:\s+(\d{4}))?\b|\b(first|second|third|fourth|1st|2nd|3rd|4th)"
        r"\s+quarter(?:\s+(?:of\s+)?(\d{4}))?\b",
        text,
    )
    if not match:
        return None
    number = int(match.group(1)) if match.group(1) else ordinals[match.group(3)]
    year_text = match.group(2) or match.group(4)
    start_month = 3 * (number - 1) + 1
    year = (
        int(year_text)
        if year_text
        else (as_of.year if start_month <= as_of.month else as_of.year - 1)
    )
    start = date(year, start_month, 1)
    end = date(year + (start_month + 2) // 12, (start_month + 2) % 12 + 1, 1) - timedelta(days=1)
    return _range(start, end), match.span()


def _holiday(text: str, as_of: date) -> Found:
    match = re.search(
        r"\b(black\s+friday|cyber\s+monday|thanksgiving|christmas\s+eve|christmas|"
        r"new\s+year'?s?\s+(?:eve|day)|halloween|valentine'?s?\s+day)\b",
        text,
    )
    if not match:
        return None
    name = re.sub(r"\s+", " ", match.group(1))
    year = as_of.year
    day = _holiday_date(name, year)
    if day >= as_of:
        day = _holiday_date(name, year - 1)
    return _range(day, day), match.span()


def _holiday_date(name: str, year: int) -> date:
    november = date(year, 11, 1)
    thanksgiving = november + timedelta(days=(3 - november.weekday()) % 7 + 21)
    fixed = {
        "christmas eve": date(year, 12, 24),
        "christmas": date(year, 12, 25),
        "halloween": date(year, 10, 31),
        "thanksgiving": thanksgiving,
        "black friday": thanksgiving + timedelta(days=1),
        "cyber monday": thanksgiving + timedelta(days=4),
    }
    if name in fixed:
        return fixed[name]
    if name.startswith("new year") and name.endswith("eve"):
        return date(year, 12, 31)
    if name.startswith("new year"):
        return date(year, 1, 1)
    return date(year, 2, 14)


def _week_of(text: str, as_of: date) -> Found:
    match = re.search(rf"\b(?:the\s+)?week\s+(?:of|starting|beginning)\s+({_DAY})", text)
    if not match:
        return None
    day = _parse_day(match.group(1), as_of)
    monday = day - timedelta(days=day.weekday())
    return _range(monday, monday + timedelta(days=6)), match.span()


def _year(text: str, as_of: date) -> Found:
    match = re.search(r"\b(?:in|during|for|of|throughout)\s+(20\d\d|19\d\d)\b", text)
    if not match:
        return None
    year = int(match.group(1))
    return _range(date(year, 1, 1), date(year, 12, 31)), match.span()


def _since(text: str, as_of: date) -> tuple[TimeRange, tuple[int, int]] | None:
    match = re.search(
        rf"\b(?:since|starting|after|from)\s+(?:the\s+)?(?:(?:start|beginning)\s+of\s+)?"
        rf"({_DAY}|{_MONTH})",
        text,
    )
    if not match:
        return None
    start = _month_or_day(match.group(1), as_of, start=True)
    return _range(start, as_of - timedelta(days=1)), match.span()


def _relative(text: str, as_of: date) -> tuple[TimeRange, tuple[int, int]] | None:
    match = re.search(
        rf"\b(?:last|past|previous|prior|trailing)\s+{_COUNT}\s+"
        r"(day|week|month|quarter|year)s?\b",
        text,
    )
    if match:
        count = int(NUMBER_WORDS.get(match.group(1), match.group(1)))
        unit = match.group(2)
        yesterday = as_of - timedelta(days=1)
        if unit in ("month", "quarter", "year"):
            months = count * {"month": 1, "quarter": 3, "year": 12}[unit]
            return _range(_months_before(as_of, months), yesterday), match.span()
        days = count * _UNITS[unit]
        return _range(yesterday - timedelta(days=days - 1), yesterday), match.span()
    match = re.search(r"\b(?:in\s+the\s+)?(?:last|past)\s+(fortnight)\b", text)
    if match:
        yesterday = as_of - timedelta(days=1)
        return _range(yesterday - timedelta(days=13), yesterday), match.span()
    return None


def _named(text: str, as_of: date) -> tuple[TimeRange, tuple[int, int]] | None:
    yesterday = as_of - timedelta(days=1)
    week_start = as_of - timedelta(days=as_of.weekday())
    month_start = as_of.replace(day=1)
    quarter_start = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    previous_month_end = month_start - timedelta(days=1)
    previous_quarter_end = quarter_start - timedelta(days=1)
    named = {
        r"\byesterday\b": (yesterday, yesterday),
        r"\btoday\b": (as_of, as_of),
        r"\b(?:this|current)\s+week\b|\bweek[- ]to[- ]date\b|\bwtd\b": (week_start, as_of),
        r"\b(?:last|previous|prior|past)\s+week\b": (
            week_start - timedelta(days=7),
            week_start - timedelta(days=1),
        ),
        r"\b(?:this|current)\s+month\b|\bmonth[- ]to[- ]date\b|\bmtd\b": (month_start, as_of),
        r"\b(?:last|previous|prior|past)\s+month\b": (
            previous_month_end.replace(day=1),
            previous_month_end,
        ),
        r"\b(?:this|current)\s+(?:quarter|qtr)\b|\bquarter[- ]to[- ]date\b|\bqtd\b": (
            quarter_start,
            as_of,
        ),
        r"\b(?:last|previous|prior|past)\s+(?:quarter|qtr)\b": (
            date(previous_quarter_end.year, previous_quarter_end.month - 2, 1),
            previous_quarter_end,
        ),
        r"\b(?:this|current)\s+year\b|\byear[- ]to[- ]date\b|\bytd\b": (
            date(as_of.year, 1, 1),
            as_of,
        ),
        r"\b(?:last|previous|prior)\s+year\b": (
            date(as_of.year - 1, 1, 1),
            date(as_of.year - 1, 12, 31),
        ),
    }
    for pattern, (start, end) in named.items():
        match = re.search(pattern, text)
        if match:
            return _range(start, end), match.span()
    return None


def _month_name(text: str, as_of: date) -> tuple[TimeRange, tuple[int, int]] | None:
    match = re.search(
        rf"\b(?:in|during|for|of|throughout)?\s*(?<![\d-])({_MONTH})(?:\s+(\d{{4}}))?"
        r"\b(?!\s*\d{1,2}(?:st|nd|rd|th)?\b)",
        text,
    )
    if not match or (
        match.group(1).rstrip(".") == "may"
        and not match.group(2)
        and not re.search(r"\b(?:in|during|of)\s+may\b", text)
    ):
        return None
    month = _MONTHS[match.group(1).rstrip(".")]
    year = int(match.group(2)) if match.group(2) else _latest_year(month, as_of)
    start = date(year, month, 1)
    end = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    return _range(start, end), match.span()


def _single_day(text: str, as_of: date) -> tuple[TimeRange, tuple[int, int]] | None:
    match = re.search(rf"\b(?:on\s+)?({_DAY})", text)
    if not match:
        return None
    day = _parse_day(match.group(1), as_of)
    return _range(day, day), match.span()


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = (date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last))


def _latest_year(month: int, as_of: date) -> int:
    return as_of.year if month <= as_of.month else as_of.year - 1


def _month_or_day(text: str, as_of: date, start: bool, after: date | None = None) -> date:
    name = text.strip().rstrip(".")
    if name in _MONTHS:
        month = _MONTHS[name]
        year = _latest_year(month, as_of)
        if after and date(year, month, 1) < after.replace(day=1):
            year += 1
        first = date(year, month, 1)
        return first if start else date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    day = _parse_day(text, as_of)
    if after and day < after and not re.search(r"\d{4}", text):
        day = day.replace(year=day.year + 1)
    return day


def _parse_day(text: str, as_of: date) -> date:
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.replace(",", " "))
    iso = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})\s*", text)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        parts = text.split()
        month_word = next(p for p in parts if p.rstrip(".") in _MONTHS)
        month = _MONTHS[month_word.rstrip(".")]
        numbers = [int(p) for p in parts if p.isdigit()]
        day = next(n for n in numbers if n <= 31)
        years = [n for n in numbers if n > 31]
        year = years[0] if years else _latest_year(month, as_of)
        return date(year, month, day)
    except (ValueError, StopIteration):
        raise TimeRangeError(
            f"'{text.strip()}' is not a date I can read.",
            hint="Write dates like 2026-11-03 or Nov 3.",
        ) from None


def _range(start: date, end: date) -> TimeRange:
    if start > end:
        raise TimeRangeError(
            f"The time range {start} to {end} ends before it starts.",
            hint="Put the earlier date first.",
        )
    return TimeRange(start=start, end=end)
