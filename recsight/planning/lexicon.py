"""The planner's vocabulary, built from the semantic model and the warehouse's values: every phrase
that names a metric, a dimension or a dimension value."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from recsight.planning.text import IGNORABLE, STOP, tokenize
from semantic_layer.spec import SemanticModel

Kind = Literal["metric", "dimension", "value"]


@dataclass(frozen=True)
class Target:
    kind: Kind
    name: str
    """Metric or dimension name."""
    value: str | None = None
    """The value's exact spelling, for kind == 'value'."""


@dataclass
class Lexicon:
    raw: dict[tuple[str, ...], set[Target]] = field(default_factory=lambda: defaultdict(set))
    folded: dict[tuple[str, ...], set[Target]] = field(default_factory=lambda: defaultdict(set))
    longest: int = 1
    _phrases: list[str] | None = None

    def add(self, phrase: str, target: Target) -> None:
        tokens = tokenize(phrase)
        content = [t for t in tokens if t.text not in STOP]
        tokens = content or tokens
        if not tokens:
            return
        self._phrases = None
        self.raw[tuple(t.text for t in tokens)].add(target)
        self.folded[tuple(t.norm for t in tokens)].add(target)
        self.longest = max(self.longest, len(tokens))

    def lookup(self, words: tuple[str, ...], folded: tuple[str, ...]) -> set[Target]:
        return self.raw.get(words) or self.folded.get(folded) or set()

    def phrases(self) -> list[str]:
        if self._phrases is None:
            self._phrases = [" ".join(p) for p in self.raw]
        return self._phrases


_cache: dict[tuple[int, int], tuple[object, object, Lexicon]] = {}


def lexicon_for(model: SemanticModel, values: dict[str, list[str]]) -> Lexicon:
    key = (id(model), id(values))
    if key not in _cache:
        _cache[key] = (model, values, build_lexicon(model, values))
    return _cache[key][2]


def build_lexicon(model: SemanticModel, values: dict[str, list[str]]) -> Lexicon:
    lexicon = Lexicon()
    for metric in model.metrics.values():
        for phrase in (metric.name.replace("_", " "), *metric.synonyms):
            lexicon.add(phrase, Target("metric", metric.name))
    for dim in model.dimensions.values():
        if dim.type == "time":
            continue
        for phrase in (dim.name.replace("_", " "), *dim.synonyms):
            lexicon.add(phrase, Target("dimension", dim.name))
    _add_values(lexicon, model, values)
    return lexicon


def _add_values(lexicon: Lexicon, model: SemanticModel, values: dict[str, list[str]]) -> None:
    taken = set(lexicon.folded)
    word_owners: dict[str, set[Target]] = defaultdict(set)
    for dimension, spellings in values.items():
        if model.dimensions[dimension].type == "boolean":
            continue
        for value in spellings:
            target = Target("value", dimension, value)
            if value.replace(".", "", 1).isdigit():
                # A bare number is a count or a rank far more often than a value: "slot 3" only.
                for name in (dimension, *model.dimensions[dimension].synonyms):
                    lexicon.add(f"{name} {value}", target)
                continue
            lexicon.add(value.replace("-", " "), target)
            words = [w for w in tokenize(value.replace("-", " ")) if w.text not in IGNORABLE]
            for word in words:
                word_owners[word.norm].add(target)
            if len(words) >= 2:
                lexicon.add("".join(w.text[0] for w in words), target)
    # A word that belongs to exactly one value ("neural", "hero") names it on its own.
    for owned, owners in word_owners.items():
        if len(owners) == 1 and (owned,) not in taken and len(owned) > 2:
            lexicon.add(owned, next(iter(owners)))
