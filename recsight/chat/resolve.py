"""Words of a follow-up mapped to the model: dimension names, time grains and dimension values.

Names come from the semantic model and values from the warehouse's value index, so a follow-up
understands exactly what the model declares; typos are tolerated through rapidfuzz.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from semantic_layer.errors import PlanningError, closest
from semantic_layer.spec import Grain, SemanticModel

_GRAIN_WORDS = {
    "day": Grain.day,
    "daily": Grain.day,
    "days": Grain.day,
    "date": Grain.day,
    "week": Grain.week,
    "weekly": Grain.week,
    "weeks": Grain.week,
    "month": Grain.month,
    "monthly": Grain.month,
    "months": Grain.month,
    "quarter": Grain.quarter,
    "quarterly": Grain.quarter,
    "quarters": Grain.quarter,
    "year": Grain.year,
    "yearly": Grain.year,
    "years": Grain.year,
    "day of week": Grain.day_of_week,
    "day of the week": Grain.day_of_week,
    "weekday": Grain.day_of_week,
    "weekdays": Grain.day_of_week,
    "hour": Grain.hour_of_day,
    "hourly": Grain.hour_of_day,
    "hour of day": Grain.hour_of_day,
    "hour of the day": Grain.hour_of_day,
}
_FILLER = {
    "a",
    "an",
    "the",
    "on",
    "in",
    "for",
    "from",
    "of",
    "via",
    "to",
    "only",
    "just",
    "customers",
    "customer",
    "shoppers",
    "shopper",
    "users",
    "people",
    "products",
    "items",
    "recommendations",
    "segment",
    "please",
}
_FUZZY_CUTOFF = 85.0


def norm(text: str) -> str:
    """Lower case, hyphens and underscores as spaces: 'High-Value' -> 'high value'."""
    return " ".join(re.sub(r"[-_]", " ", text.lower()).split())


def grain_of(phrase: str) -> Grain | None:
    return _GRAIN_WORDS.get(norm(phrase))


@dataclass(frozen=True)
class ValueMatch:
    dimension: str
    value: str | bool


class Vocabulary:
    """The model's dimension names and synonyms, and the warehouse's dimension values."""

    def __init__(self, model: SemanticModel, values: dict[str, list[str]]) -> None:
        self.model = model
        self._dims: dict[str, list[str]] = {}
        for dim in model.dimensions.values():
            for word in {dim.name, *dim.synonyms}:
                self._dims.setdefault(norm(word), []).append(dim.name)
        self._metrics: dict[str, str] = {}
        for metric in model.metrics.values():
            for word in (metric.name, *metric.synonyms):
                self._metrics.setdefault(norm(word), metric.name)
        self._values: dict[str, list[ValueMatch]] = {}
        for dimension, spellings in values.items():
            for value in spellings:
                self._values.setdefault(norm(value), []).append(ValueMatch(dimension, value))

    def metric(self, phrase: str) -> str:
        """The metric a phrase names ('revenue', 'click-through rate', 'cvr')."""
        key = norm(phrase)
        found = self._metrics.get(key) or self._metrics.get(key.removesuffix("s"))
        if not found:
            best = process.extractOne(key, list(self._metrics), scorer=fuzz.ratio)
            if best and best[1] >= _FUZZY_CUTOFF:
                found = self._metrics[best[0]]
        if not found:
            raise PlanningError(self._unknown("metric", phrase, list(self.model.metrics)))
        return found

    def dimension(self, phrase: str) -> str:
        """The dimension a phrase names ('clv tier', 'device type', 'catgory')."""
        key = norm(phrase)
        singular = re.sub(r"ies$", "y", key).removesuffix("s")
        found = self._dims.get(key) or self._dims.get(singular)
        if not found:
            best = process.extractOne(key, list(self._dims), scorer=fuzz.ratio)
            if best and best[1] >= _FUZZY_CUTOFF:
                found = self._dims[best[0]]
        if not found:
            raise PlanningError(self._unknown("dimension", phrase, list(self.model.dimensions)))
        if len(set(found)) > 1:
            raise PlanningError(
                f"'{phrase}' could mean {' or '.join(sorted(set(found)))}.",
                hint=f"Say which: by {sorted(set(found))[0]}",
            )
        return found[0]

    def value(self, phrase: str) -> ValueMatch:
        """The dimension value a phrase names ('shoes', 'high-value customers', 'bestsellers')."""
        boolean = self._boolean(phrase)
        if boolean:
            return boolean
        words = norm(phrase).split()
        hinted = {d for w in words for d in self._dims.get(w, [])}
        kept = [w for w in words if w not in _FILLER]
        content = [w for w in kept if not self._dims.get(w)]
        for key in _candidates(words, kept, content):
            matches = self._values.get(key)
            if matches:
                return self._pick(phrase, matches, hinted)
        for key in filter(None, dict.fromkeys([" ".join(content), " ".join(kept)])):
            best = process.extractOne(key, list(self._values), scorer=fuzz.ratio)
            if best and best[1] >= _FUZZY_CUTOFF:
                return self._pick(phrase, self._values[best[0]], hinted)
        everything = [m for group in self._values.values() for m in group]
        examples = list({m.dimension: m for m in everything}.values())[:4]
        listed = ", ".join(f"{m.value} ({m.dimension})" for m in examples)
        options = [str(m.value) for m in everything]
        raise PlanningError(self._unknown("value", phrase, options, f"Values look like {listed}."))

    def _boolean(self, phrase: str) -> ValueMatch | None:
        key = norm(phrase)
        trimmed = key.removesuffix(" products").removesuffix(" items")
        for candidate in (key, key.removesuffix("s"), trimmed, trimmed.removesuffix("s")):
            for name in self._dims.get(candidate, []):
                if self.model.dimensions[name].type == "boolean":
                    return ValueMatch(name, True)
        return None

    def _pick(self, phrase: str, matches: list[ValueMatch], hinted: set[str]) -> ValueMatch:
        narrowed = [m for m in matches if m.dimension in hinted] or matches
        if len(narrowed) > 1:
            dims = " or ".join(sorted(m.dimension for m in narrowed))
            raise PlanningError(
                f"'{phrase}' is a value of {dims}.",
                hint=f"Name the dimension: only {narrowed[0].dimension} {narrowed[0].value}",
            )
        return narrowed[0]

    def _unknown(self, kind: str, phrase: str, options: list[str], examples: str = "") -> str:
        suggestion = closest(phrase, options, limit=3)
        text = f"I don't know the {kind} '{phrase}'."
        if suggestion:
            text += f" Closest: {', '.join(suggestion)}."
        elif examples:
            text += f" {examples}"
        command = {"metric": "/metrics", "dimension": "/dimensions"}.get(kind, "/dimensions NAME")
        return text + f" See {command}."


def _candidates(*forms: list[str]) -> list[str]:
    """Exact keys to try, each with singular and plural forms ('shoe' -> 'shoes')."""
    keys: list[str] = []
    for words in forms:
        key = " ".join(words)
        if key:
            keys += [key, key.removesuffix("s"), key + "s", key + "es"]
    return keys
