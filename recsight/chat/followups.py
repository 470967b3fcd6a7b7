"""Follow-ups: "now by week", "only shoes", "top 3", "compare with last month", "why?" turned into
a new semantic query from the last answer's.

Each rule is a pattern over the cleaned-up words and a function building the new query; the rules
know nothing of the terminal, so the same follow-ups could serve another front end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from recsight.answering.answer import Answer
from recsight.answering.restate import metric_label, time_range_label
from recsight.chat.compare import earlier_range
from recsight.chat.drill import Drill, drill
from recsight.chat.resolve import ValueMatch, Vocabulary, grain_of
from semantic_layer.errors import PlanningError
from semantic_layer.query import DimensionRef, Filter, OrderBy, Scalar, SemanticQuery
from semantic_layer.spec import Grain

Kind = Literal["regroup", "filter", "top", "compare", "why"]

_LEAD = re.compile(
    r"^(?:(?:ok|okay|now|then|so|please|can you|could you|show me|show|and now|just do)\b[\s,]*)+"
)
_UNDO = {"undo", "undo that", "go back", "back", "never mind", "nevermind", "previous answer"}
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "twenty": 20}
_NUMBERS |= {"six": 6, "seven": 7, "eight": 8, "nine": 9}


@dataclass(frozen=True)
class FollowUp:
    kind: Kind
    query: SemanticQuery
    reading: str
    """How the words were read, shown under the answer: 'by week', 'only category Shoes'."""
    baseline: SemanticQuery | None = None
    """For 'compare': the same query over the earlier period."""
    drill: Drill | None = None


def clean(text: str) -> str:
    """Lower case, no trailing punctuation, no conversational lead-in ('ok now ...')."""
    words = " ".join(text.lower().replace("’", "'").split()).strip(" ?!.")
    return _LEAD.sub("", words).strip(" ,")


def is_undo(text: str) -> bool:
    return clean(text) in _UNDO


def read_follow_up(text: str, previous: Answer, vocabulary: Vocabulary) -> FollowUp | None:
    """The follow-up the text asks for, None if it doesn't look like one.

    Raises PlanningError when it looks like a follow-up but names something unknown.
    """
    if previous.query is None:
        return None
    words = clean(text)
    for pattern, build in _RULES:
        found = pattern.fullmatch(words)
        if found:
            return build(found, previous, vocabulary)
    return None


def _why(found: re.Match[str], previous: Answer, vocabulary: Vocabulary) -> FollowUp:
    target = found.group("target")
    plan = drill(previous, vocabulary.model, vocabulary.dimension(target) if target else None)
    focus = " vs ".join(str(v) for v in plan.focus)
    reading = f"why: {metric_label(plan.metric)}{' of ' + focus if focus else ''}"
    reading += f" by {plan.segment.replace('_', ' ')}"
    return FollowUp("why", plan.query, reading, drill=plan)


def _compare(found: re.Match[str], previous: Answer, vocabulary: Vocabulary) -> FollowUp:
    query = _require(previous)
    if query.time_range is None:
        raise PlanningError(
            "The last answer covers all dates, so there is no earlier period to compare with.",
            hint="Ask with a time range first, e.g. 'CTR by algorithm last 30 days'.",
        )
    period = found.group("period")
    model = vocabulary.model
    totals = [d for d in query.dimensions if model.dimensions[d.name].type != "time"]
    current = query.model_copy(update={"dimensions": totals})
    baseline = current.model_copy(update={"time_range": earlier_range(query.time_range, period)})
    reading = f"compared with {time_range_label(baseline.time_range or query.time_range)}"
    if len(totals) < len(query.dimensions):
        reading += " (totals over each period, without the time grouping)"
    return FollowUp("compare", current, reading, baseline=baseline)


def _top(found: re.Match[str], previous: Answer, vocabulary: Vocabulary) -> FollowUp:
    query = _require(previous)
    count = _count(found.group("n"))
    metric = vocabulary.metric(found.group("metric")) if found.group("metric") else query.metrics[0]
    direction = found.group("dir")
    if direction in ("best", "worst"):
        best_first = vocabulary.model.metrics[metric].higher_is_better
        descending = best_first if direction == "best" else not best_first
    else:
        descending = direction in ("top", "highest", "most")
    dims = query.dimensions
    if found.group("what"):
        dims = [_ref(vocabulary.dimension(found.group("what")))]
    if not dims:
        raise PlanningError(
            f"{direction.title()} {count} of what? The last answer is a single number.",
            hint="Say which: top 3 categories, or break it down first: by category",
        )
    order = OrderBy(field=metric, descending=descending)
    metrics = query.metrics if metric in query.metrics else [*query.metrics, metric]
    new = query.model_copy(
        update={"dimensions": dims, "metrics": metrics, "order_by": [order], "limit": count}
    )
    return FollowUp("top", new, f"{direction} {count} by {metric}")


def _regroup(found: re.Match[str], previous: Answer, vocabulary: Vocabulary) -> FollowUp:
    query = _require(previous)
    target = found.group("target") or found.group("grain")
    wanted = [_dimension_ref(part, vocabulary) for part in _parts(target)]
    model = vocabulary.model
    is_time = {
        d.name: model.dimensions[d.name].type == "time" for d in [*query.dimensions, *wanted]
    }
    if found.group("add"):
        kept = [d for d in query.dimensions if d.name not in {w.name for w in wanted}]
    elif any(is_time[w.name] for w in wanted):
        kept = [d for d in query.dimensions if not is_time[d.name]]
    else:
        kept = [d for d in query.dimensions if is_time[d.name]]
    dims = [*kept, *wanted] if not any(is_time[w.name] for w in wanted) else [*wanted, *kept]
    columns = {d.column for d in dims} | set(query.metrics)
    order = [o for o in query.order_by if o.field in columns]
    limit = query.limit if order and not any(is_time[w.name] for w in wanted) else None
    new = query.model_copy(update={"dimensions": dims, "order_by": order, "limit": limit})
    return FollowUp("regroup", new, "by " + " and ".join(_label(d) for d in dims))


def _filter(found: re.Match[str], previous: Answer, vocabulary: Vocabulary) -> FollowUp:
    query = _require(previous)
    negate = bool(found.group("neg"))
    matches = [vocabulary.value(part) for part in _parts(found.group("target"))]
    by_dimension: dict[str, list[Scalar]] = {}
    for match in matches:
        by_dimension.setdefault(match.dimension, []).append(match.value)
    filters = [f for f in query.filters if f.dimension not in by_dimension]
    for dimension, values in by_dimension.items():
        filters.append(_condition(dimension, values, negate))
    reading = ("excluding " if negate else "only ") + ", ".join(_describe(m) for m in matches)
    return FollowUp("filter", query.model_copy(update={"filters": filters}), reading)


def _condition(dimension: str, values: list[Scalar], negate: bool) -> Filter:
    if len(values) == 1 and isinstance(values[0], bool):
        return Filter(dimension=dimension, operator="=", values=[values[0] != negate])
    if len(values) == 1:
        return Filter(dimension=dimension, operator="!=" if negate else "=", values=values)
    return Filter(dimension=dimension, operator="not in" if negate else "in", values=values)


def _describe(match: ValueMatch) -> str:
    if isinstance(match.value, bool):
        return match.dimension
    return f"{match.dimension.replace('_', ' ')} {match.value}"


def _dimension_ref(phrase: str, vocabulary: Vocabulary) -> DimensionRef:
    grain = grain_of(phrase)
    model = vocabulary.model
    if grain is not None:
        return DimensionRef(name=model.time_dimension, grain=None if grain == Grain.day else grain)
    name = vocabulary.dimension(phrase)
    return _ref(name)


def _label(ref: DimensionRef) -> str:
    return ref.grain.value.replace("_", " ") if ref.grain else ref.name.replace("_", " ")


def _ref(name: str) -> DimensionRef:
    return DimensionRef(name=name)


def _parts(text: str) -> list[str]:
    parts = re.split(r"\s*(?:,|\band\b|\bor\b|&|\bx\b)\s*", text.strip())
    return [p for p in parts if p]


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBERS[text]


def _require(previous: Answer) -> SemanticQuery:
    if previous.query is None:
        raise PlanningError(
            "The last answer ran model-written SQL; follow-ups need a semantic query."
        )
    return previous.query


_NUM = r"(?P<n>\d+|" + "|".join(_NUMBERS) + r")"
_PERIOD = r"(?P<period>week|month|quarter|year|period)"
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], Answer, Vocabulary], FollowUp]]
_RULES: list[_Rule] = [
    (
        re.compile(
            r"(?:and |but )?(?:why|how come|what'?s driving (?:it|this|that)|what explains "
            r"(?:it|this|that)|explain (?:it|this|that|the gap|the difference)|drill (?:down|in))"
            r"(?:.*?\b(?:by|per|across|within) (?P<target>[\w -]+))?.*"
        ),
        _why,
    ),
    (
        re.compile(
            r"(?:.*\b(?:compare|compared|comparing|vs|versus|against|relative to|than)\b.*?)"
            r"\b(?:last|previous|prior|the previous|the prior|a) " + _PERIOD + r"(?: ago| before)?"
        ),
        _compare,
    ),
    (re.compile(_PERIOD + r" over (?:week|month|quarter|year|period)"), _compare),
    (
        re.compile(
            r"(?:only |just |the |only the |just the )?(?P<dir>top|best|bottom|worst|highest|lowest"
            r"|most) " + _NUM + r"(?: (?P<what>(?!by\b)[a-z][\w -]*?))?(?: by (?P<metric>.+))?"
        ),
        _top,
    ),
    (
        re.compile(
            r"(?:(?P<add>also|and|plus|and also) )?(?:(?:split|broken down|break it down|grouped|"
            r"group it|group|breakdown) )?(?:by|per|for each|across|over) (?P<target>.+)"
        ),
        _regroup,
    ),
    (
        re.compile(r"(?P<add>)(?P<target>)(?P<grain>daily|weekly|monthly|quarterly|yearly|hourly)"),
        _regroup,
    ),
    (
        re.compile(
            r"(?:also |and |but )?(?P<neg>excluding|except(?: for)?|without|exclude|but not|not|"
            r"minus|no more) (?P<target>.+)"
        ),
        _filter,
    ),
    (re.compile(r"(?:also |and )?(?P<neg>)(?P<target>.+?),? only"), _filter),
    (
        re.compile(
            r"(?:also |and )?(?P<neg>)(?:only|just|filter (?:to|on|by)|limit (?:it )?to|restrict "
            r"(?:it )?to|what about|how about|same for|for|in|among) (?P<target>.+)"
        ),
        _filter,
    ),
]
