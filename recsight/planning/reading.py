"""A question's matched words sorted into parts: metrics, groupings, values, ranking, thresholds."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from recsight.planning.lexicon import Target
from recsight.planning.matcher import Match
from recsight.planning.text import (
    COMBINE_WORDS,
    COMPARE_WORDS,
    EVERY_WORDS,
    EXCLUDE_WORDS,
    HEADLINE_WORDS,
    NUMBER_WORDS,
    OVERVIEW_WORDS,
    RANK_ALL,
    RANK_ASC,
    RANK_DESC,
    WIN_VERBS,
    Token,
)
from recsight.planning.timephrases import TimeReading
from semantic_layer.errors import PlanningError
from semantic_layer.query import Filter, MetricFilter, MetricOperator
from semantic_layer.spec import SemanticModel

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
GROUP_CUES = frozenset({"by", "per", "across", "each", "every", "which", "what"})
_NEGATIONS = frozenset({"not", "non", "no", "aren't", "isn't", "without", "excluding", "except"})


@dataclass
class Reading:
    model: SemanticModel
    tokens: list[Token]
    matches: list[Match]
    time: TimeReading
    used: set[int]
    numeric: dict[str, list[str]] = field(default_factory=dict)
    in_range: set[int] = field(default_factory=set)
    """Tokens of the time range phrase ("last 7 days"): never a count for "top N"."""
    cued: set[str] = field(default_factory=set)
    consumed: set[int] = field(default_factory=set)
    value_at: dict[str, int] = field(default_factory=dict)
    metrics: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    plural_group: bool = False
    all_values: set[str] = field(default_factory=set)
    values: dict[str, list[tuple[str, bool]]] = field(default_factory=lambda: defaultdict(list))
    filters: list[Filter] = field(default_factory=list)
    having: list[MetricFilter] = field(default_factory=list)
    order: str | None = None
    rank_all: bool = False
    limit: int | None = None
    notes: list[str] = field(default_factory=list)

    def words(self) -> set[str]:
        return {t.text for t in self.tokens}

    @property
    def compare(self) -> bool:
        return bool(self.words() & COMPARE_WORDS)

    @property
    def combine(self) -> bool:
        return bool(self.words() & COMBINE_WORDS)

    @property
    def overview(self) -> bool:
        return bool(self.words() & OVERVIEW_WORDS)

    @property
    def wins(self) -> bool:
        return bool(self.words() & WIN_VERBS)

    def wins_for(self, dimension: str) -> bool:
        """Whether a value of this dimension is the subject of a win verb ("the neural net
        still wins"), named before the verb."""
        verbs = [t.index for t in self.tokens if t.text in WIN_VERBS]
        return bool(verbs) and self.value_at.get(dimension, len(self.tokens)) < verbs[0]

    @property
    def headline(self) -> bool:
        return bool(self.words() & (HEADLINE_WORDS | COMPARE_WORDS))

    def resolve(self) -> None:
        self._having()
        self._ranges()
        for match in self.matches:
            target = self._choose(match)
            if match.fuzzy:
                self.notes.append(f"Read '{match.text}' as {describe(target)}.")
            self._take(match, target)
        self._rank()
        self._drop_qualifiers()
        cues = COMPARE_WORDS | OVERVIEW_WORDS | EXCLUDE_WORDS | HEADLINE_WORDS | COMBINE_WORDS
        self.used.update(t.index for t in self.tokens if t.text in cues | EVERY_WORDS)
        for match in self.matches:
            self.used.update(t.index for t in match.tokens)

    def _choose(self, match: Match) -> Target:
        if len(match.targets) == 1:
            return next(iter(match.targets))
        mentioned = {
            t.name for m in self.matches if m is not match for t in m.targets if len(m.targets) == 1
        }
        near = [t for t in match.targets if t.name in mentioned]
        if len(near) == 1:
            return near[0]
        readings = sorted(describe(t) for t in match.targets)
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
            self._take_dimension(match, target.name)
        else:
            self.values[target.name].append((target.value or "", self._excluded(match)))
            self.value_at.setdefault(target.name, match.start)

    def _take_dimension(self, match: Match, name: str) -> None:
        spec = self.model.dimensions[name]
        cued = self._cued(match)
        split = cued or bool(self.words() & {"vs", "versus", "else", "compared", "against"})
        if spec.type == "boolean" and not split:
            negated = bool(self._before(match, 3) & _NEGATIONS)
            self.filters.append(Filter(dimension=name, values=[not negated]))
            return
        if not spec.index_values and not cued and not self._ranked_near(match):
            return  # "Maison Lark products": naming the entity, not asking for a row per product
        if not cued and self._qualifies_value(match, name):
            return
        if self._before(match, 3) & EVERY_WORDS:
            self.all_values.add(name)
        if cued:
            self.cued.add(name)
        if name not in self.dimensions:
            self.dimensions.append(name)
        if any(t.text != t.norm for t in match.tokens):
            self.plural_group = True

    def _before(self, match: Match, span: int) -> set[str]:
        return {t.text for t in self.tokens[max(0, match.start - span) : match.start]}

    def _cued(self, match: Match) -> bool:
        return bool(self._before(match, 2) & GROUP_CUES)

    def _ranked_near(self, match: Match) -> bool:
        around = self.tokens[max(0, match.start - 3) : match.end + 1]
        return any(t.text in RANK_DESC | RANK_ASC | RANK_ALL for t in around)

    def _qualifies_value(self, match: Match, dimension: str) -> bool:
        """'the email placement': a dimension named right beside one of its values."""
        for other in self.matches:
            close = abs(other.start - match.end) <= 2 or abs(match.start - other.end) <= 2
            if (
                other is not match
                and close
                and any(t.kind == "value" and t.name == dimension for t in other.targets)
            ):
                return True
        return False

    def _excluded(self, match: Match) -> bool:
        before = self._before(match, 3)
        return bool(before & EXCLUDE_WORDS) and not ({"not", "only"} <= before)

    def _blocked(self) -> set[int]:
        """Tokens a ranking word or count can't come from: matched names, the time range,
        thresholds. (Grain phrases like "top 3 days" still rank.)"""
        matched = {t.index for m in self.matches for t in m.tokens}
        return matched | self.in_range | self.consumed

    def _rank(self) -> None:
        blocked = self._blocked()
        for token in self.tokens:
            if token.index in blocked:
                continue
            if token.text in RANK_ALL:
                self.rank_all = True
                self.order = self.order or "desc"
                self.used.add(token.index)
                continue
            direction = (
                "desc" if token.text in RANK_DESC else "asc" if token.text in RANK_ASC else None
            )
            if direction is None:
                continue
            if token.text in ("more", "less", "better", "worse") and not self.compare_choice():
                continue
            self.order = self.order or direction
            self.used.add(token.index)
            count = self._count_near(token.index)
            if count is not None:
                self.limit = count

    def compare_choice(self) -> bool:
        """'which converts better, new or repeat?': a comparative asks for the winner."""
        return bool(self.words() & {"which", "who", "what"})

    def _count_near(self, index: int) -> int | None:
        blocked = self._blocked()
        for offset in (1, -1, 2):
            position = index + offset
            if 0 <= position < len(self.tokens) and position not in blocked:
                word = self.tokens[position].text
                number = NUMBER_WORDS.get(word) or (int(word) if word.isdigit() else None)
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
                self.consumed.update(t.index for t in span)

    def _ranges(self) -> None:
        """'slots 1 to 3': a range over a dimension whose values are numbers."""
        for match in list(self.matches):
            target = next(iter(match.targets))
            if len(match.targets) != 1 or target.name not in self.numeric:
                continue
            first = [target.value] if target.kind == "value" else []
            after = self.tokens[match.end + 1 : match.end + 4 - len(first)]
            texts = [*first, *(t.text for t in after)]
            if (
                len(texts) == 3
                and texts[0]
                and texts[0].isdigit()
                and (texts[2] or "").isdigit()
                and texts[1] in ("to", "through", "and", "until", "-")
            ):
                low, high = sorted((int(texts[0] or 0), int(texts[2] or 0)))
                self.filters.append(
                    Filter(dimension=target.name, operator="between", values=[low, high])
                )
                self.used.update(t.index for t in after)
                self.used.update(t.index for t in match.tokens)
                self.matches = [m for m in self.matches if m is not match]

    def _drop_qualifiers(self) -> None:
        """'AOV of orders from recommendations': a metric that only qualifies the one before it
        (its measures are part of the first's) is not asked for on its own."""
        from semantic_layer.catalog import measures_of

        metric_matches = [
            m
            for m in self.matches
            if len(m.targets) == 1 and next(iter(m.targets)).kind == "metric"
        ]
        for first, second in itertools.pairwise(metric_matches):
            a, b = next(iter(first.targets)).name, next(iter(second.targets)).name
            between = {t.text for t in self.tokens[first.end + 1 : second.start]}
            parts = {m.name for m in measures_of(self.model, a)}
            if (
                between & {"of", "for", "among", "from"}
                and not between & {"and", ","}
                and {m.name for m in measures_of(self.model, b)} <= parts
                and a != b
                and b in self.metrics
            ):
                self.metrics.remove(b)

    def confidence(self, leftovers: list[Token]) -> float:
        fuzzy = sum(1 for m in self.matches if m.fuzzy)
        return max(0.0, 1.0 - 0.15 * fuzzy - 0.3 * len(leftovers))


def describe(target: Target) -> str:
    if target.kind == "value":
        return f"{target.name} = {target.value}"
    return f"the {target.kind} '{target.name}'"
