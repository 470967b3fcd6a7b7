"""How the matched words of a question combine into a semantic query."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from recsight.planning.base import PlanContext
from recsight.planning.lexicon import Target
from recsight.planning.matcher import Match
from recsight.planning.text import (
    COMPARE_WORDS,
    EXCLUDE_WORDS,
    OVERVIEW_WORDS,
    RANK_ASC,
    RANK_DESC,
    Token,
)
from recsight.planning.timephrases import TimeReading
from semantic_layer.catalog import dimensions_for
from semantic_layer.errors import PlanningError
from semantic_layer.query import (
    DimensionRef,
    Filter,
    MetricFilter,
    MetricOperator,
    OrderBy,
    Scalar,
    SemanticQuery,
)
from semantic_layer.spec import Grain, SemanticModel

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twenty": 20,
}
_COMPARATORS: list[tuple[tuple[str, ...], MetricOperator]] = [
    (("at", "least"), ">="),
    (("at", "most"), "<="),
    (("more", "than"), ">"),
    (("greater", "than"), ">"),
    (("higher", "than"), ">"),
    (("less", "than"), "<"),
    (("lower", "than"), "<"),
    (("fewer", "than"), "<"),
    (("above",), ">"),
    (("over",), ">"),
    (("below",), "<"),
    (("under",), "<"),
    ((">",), ">"),
    (("<",), "<"),
    ((">=",), ">="),
    (("<=",), "<="),
    (("exceeding",), ">"),
]
_GROUP_CUES = {"by", "per", "across", "each", "every"}


@dataclass
class Reading:
    model: SemanticModel
    tokens: list[Token]
    matches: list[Match]
    time: TimeReading
    used: set[int]
    metrics: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    singular_group: bool = False
    values: dict[str, list[tuple[str, bool]]] = field(default_factory=lambda: defaultdict(list))
    having: list[MetricFilter] = field(default_factory=list)
    order: str | None = None
    limit: int | None = None
    compare: bool = False
    overview: bool = False
    notes: list[str] = field(default_factory=list)

    def words(self) -> set[str]:
        return {t.text for t in self.tokens}

    def resolve(self) -> None:
        words = self.words()
        self.compare = bool(words & COMPARE_WORDS)
        self.overview = bool(words & OVERVIEW_WORDS)
        for match in self.matches:
            target = self._choose(match)
            if match.fuzzy:
                self.notes.append(f"Read '{match.text}' as {_describe(target)}.")
            self._take(match, target)
        self._rank()
        self._having()
        self._mark(words & (COMPARE_WORDS | OVERVIEW_WORDS | EXCLUDE_WORDS))

    def _choose(self, match: Match) -> Target:
        if len(match.targets) == 1:
            return next(iter(match.targets))
        mentioned = {
            t.name for m in self.matches if m is not match for t in m.targets if len(m.targets) == 1
        }
        near = [t for t in match.targets if t.name in mentioned]
        if len(near) == 1:
            return near[0]
        readings = sorted(_describe(t) for t in match.targets)
        raise PlanningError(
            f"'{match.text}' could mean {' or '.join(readings)}.",
            hint="Say which, e.g. by naming the dimension next to it.",
            options=readings,
        )

    def _take(self, match: Match, target: Target) -> None:
        if target.kind == "metric":
            if target.name not in self.metrics:
                self.metrics.append(target.name)
        elif target.kind == "dimension":
            if self._qualifies_value(match, target.name):
                return
            if target.name not in self.dimensions:
                self.dimensions.append(target.name)
                self.singular_group = self.singular_group or all(
                    t.text == t.norm for t in match.tokens
                )
        else:
            excluded = self._excluded(match)
            self.values[target.name].append((target.value or "", excluded))

    def _qualifies_value(self, match: Match, dimension: str) -> bool:
        """'the email placement': a dimension named right beside one of its values."""
        cued = match.start > 0 and self.tokens[match.start - 1].text in _GROUP_CUES
        if cued:
            return False
        for other in self.matches:
            if other is match or (
                abs(other.start - match.end) > 2 and abs(match.start - other.end) > 2
            ):
                continue
            if any(t.kind == "value" and t.name == dimension for t in other.targets):
                return True
        return False

    def _excluded(self, match: Match) -> bool:
        before = [t.text for t in self.tokens[max(0, match.start - 3) : match.start]]
        if any(w in EXCLUDE_WORDS for w in before):
            return not ("not" in before and "only" in before)
        return False

    def _rank(self) -> None:
        for token in self.tokens:
            if token.index in self.used:
                continue
            direction = (
                "desc" if token.text in RANK_DESC else "asc" if token.text in RANK_ASC else None
            )
            if direction is None:
                continue
            self.order = self.order or direction
            self.used.add(token.index)
            count = self._count_near(token.index)
            if count is not None:
                self.limit = count

    def _count_near(self, index: int) -> int | None:
        for offset in (1, -1):
            position = index + offset
            if 0 <= position < len(self.tokens) and position not in self.used:
                word = self.tokens[position].text
                number = _NUMBER_WORDS.get(word) or (int(word) if word.isdigit() else None)
                if number is not None and 0 < number <= 1000:
                    self.used.add(position)
                    return number
        return None

    def _having(self) -> None:
        metric_ends = [
            (m.end, next(iter(m.targets)).name)
            for m in self.matches
            if len(m.targets) == 1 and next(iter(m.targets)).kind == "metric"
        ]
        for words, operator in _COMPARATORS:
            for token in self.tokens:
                span = self.tokens[token.index : token.index + len(words) + 1]
                if tuple(t.text for t in span[: len(words)]) != words or len(span) <= len(words):
                    continue
                number = span[-1]
                if not re.fullmatch(r"\d+(\.\d+)?%?", number.text) or number.index in self.used:
                    continue
                before = [name for end, name in metric_ends if end < token.index]
                if not before:
                    continue
                value = float(number.text.rstrip("%"))
                unit = self.model.metrics[before[-1]].unit
                if number.text.endswith("%") or (unit == "percent" and value >= 1):
                    value /= 100
                self.having.append(MetricFilter(metric=before[-1], operator=operator, value=value))
                self.used.update(t.index for t in span)

    def _mark(self, words: set[str]) -> None:
        self.used.update(t.index for t in self.tokens if t.text in words)
        for match in self.matches:
            self.used.update(t.index for t in match.tokens)

    def confidence(self, leftovers: list[Token]) -> float:
        fuzzy = sum(1 for m in self.matches if m.fuzzy)
        return max(0.0, 1.0 - 0.15 * fuzzy - 0.3 * len(leftovers))


def _describe(target: Target) -> str:
    if target.kind == "value":
        return f"{target.name} = {target.value}"
    return f"the {target.kind} '{target.name}'"


def build_query(reading: Reading, context: PlanContext) -> SemanticQuery:
    model = reading.model
    metrics = reading.metrics or _default_metrics(reading, context)
    dimensions: list[DimensionRef] = []
    filters: list[Filter] = []
    for dimension, found in reading.values.items():
        kept: list[Scalar] = list(dict.fromkeys(v for v, excluded in found if not excluded))
        dropped: list[Scalar] = list(dict.fromkeys(v for v, excluded in found if excluded))
        grouped = len(kept) >= 2 or (kept and reading.compare and dimension in reading.dimensions)
        if grouped and dimension not in reading.dimensions:
            reading.dimensions.append(dimension)
        if kept and not (len(kept) == 1 and reading.compare and dimension in reading.dimensions):
            filters.append(
                Filter(dimension=dimension, operator="in" if len(kept) > 1 else "=", values=kept)
            )
        if dropped:
            filters.append(
                Filter(
                    dimension=dimension,
                    operator="not in" if len(dropped) > 1 else "!=",
                    values=dropped,
                )
            )
    dimensions += [DimensionRef(name=d) for d in reading.dimensions]
    grain = _grain(reading)
    if grain is not None:
        dimensions.append(DimensionRef(name=model.time_dimension, grain=grain))
    _check_fit(model, metrics, dimensions, filters)

    order: list[OrderBy] = []
    limit = reading.limit
    if reading.order:
        order = [OrderBy(field=metrics[0], descending=reading.order == "desc")]
        if limit is None and reading.singular_group and _asks_which(reading):
            limit = 1
    elif limit is not None:
        order = [OrderBy(field=metrics[0], descending=True)]
    if context.previous is not None and not reading.metrics:
        return _follow_up(context.previous, reading, dimensions, filters, order, limit)
    return SemanticQuery(
        metrics=metrics,
        dimensions=dimensions,
        filters=filters,
        having=reading.having,
        time_range=reading.time.time_range,
        order_by=order,
        limit=limit,
    )


def _default_metrics(reading: Reading, context: PlanContext) -> list[str]:
    if context.previous is not None:
        return list(context.previous.metrics)
    if reading.overview or reading.compare:
        return list(reading.model.overview_metrics)
    named = [d for d in reading.dimensions] + list(reading.values)
    what = f" about {', '.join(named)}" if named else ""
    raise PlanningError(
        f"Which metric do you want{what}? I found no metric in the question.",
        hint="Name one, e.g. CTR, conversion rate, revenue, AOV, impressions, "
        "clicks, catalog coverage or novelty.",
        options=list(reading.model.overview_metrics),
    )


def _grain(reading: Reading) -> Grain | None:
    if reading.time.grain is not None:
        return reading.time.grain
    if not reading.time.wants_trend:
        return None
    span = reading.time.time_range
    return Grain.day if span is not None and span.days <= 31 else Grain.week


def _asks_which(reading: Reading) -> bool:
    return bool(reading.words() & {"which", "what", "who", "whats", "what's"})


def _check_fit(
    model: SemanticModel, metrics: list[str], dimensions: list[DimensionRef], filters: list[Filter]
) -> None:
    fitting = set(dimensions_for(model, metrics))
    for name in [d.name for d in dimensions] + [f.dimension for f in filters]:
        if name not in fitting:
            raise PlanningError(
                f"{', '.join(metrics)} can't be broken down or filtered by "
                f"{name}: the data behind it doesn't record {name}.",
                hint=f"Dimensions that fit: {', '.join(sorted(fitting))}.",
            )


def _follow_up(
    previous: SemanticQuery,
    reading: Reading,
    dimensions: list[DimensionRef],
    filters: list[Filter],
    order: list[OrderBy],
    limit: int | None,
) -> SemanticQuery:
    """A question without a metric, after an answer, refines that answer's query."""
    replaced = {f.dimension for f in filters}
    kept_filters = [f for f in previous.filters if f.dimension not in replaced]
    new_time = any(d.grain is not None for d in dimensions)
    kept_dims = [d for d in previous.dimensions if not (new_time and d.grain is not None)]
    merged = kept_dims + [d for d in dimensions if d.column not in {k.column for k in kept_dims}]
    return previous.model_copy(
        update={
            "dimensions": merged,
            "filters": kept_filters + filters,
            "time_range": reading.time.time_range or previous.time_range,
            "order_by": order or previous.order_by,
            "limit": limit if limit is not None else previous.limit,
            "having": reading.having or previous.having,
        }
    )
