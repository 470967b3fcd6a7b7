"""Find the metrics, dimensions and values a question names: exact phrases first, longest first,
then typos through rapidfuzz."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from recsight.planning.lexicon import Lexicon, Target
from recsight.planning.text import IGNORABLE, Token

FUZZY_CUTOFF = 86.0
SUGGEST_CUTOFF = 70.0


@dataclass(frozen=True)
class Match:
    targets: frozenset[Target]
    tokens: tuple[Token, ...]
    fuzzy: bool = False

    @property
    def start(self) -> int:
        return self.tokens[0].index

    @property
    def end(self) -> int:
        return self.tokens[-1].index

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


def find_matches(tokens: list[Token], used: set[int], lexicon: Lexicon) -> list[Match]:
    matches: list[Match] = []
    for size in range(min(lexicon.longest, len(tokens)), 0, -1):
        for start in range(len(tokens) - size + 1):
            window = tokens[start : start + size]
            if any(t.index in used for t in window):
                continue
            if size == 1 and window[0].text in IGNORABLE:
                continue
            found = lexicon.lookup(tuple(t.text for t in window), tuple(t.norm for t in window))
            if found:
                matches.append(Match(frozenset(found), tuple(window)))
                used.update(t.index for t in window)
    matches.extend(_fuzzy(tokens, used, lexicon))
    return sorted(matches, key=lambda m: m.start)


def _fuzzy(tokens: list[Token], used: set[int], lexicon: Lexicon) -> list[Match]:
    phrases = lexicon.phrases()
    matches: list[Match] = []
    for size in (2, 1):
        for start in range(len(tokens) - size + 1):
            window = tokens[start : start + size]
            if any(t.index in used or len(t.text) < 4 or not t.text.isalpha() for t in window):
                continue
            if size == 1 and window[0].text in IGNORABLE:
                continue
            text = " ".join(t.text for t in window)
            best = process.extractOne(text, phrases, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if best is None:
                continue
            targets = lexicon.raw[tuple(best[0].split())]
            matches.append(Match(frozenset(targets), tuple(window), fuzzy=True))
            used.update(t.index for t in window)
    return matches


def suggestions(word: str, lexicon: Lexicon, limit: int = 3) -> list[str]:
    found = process.extract(
        word, lexicon.phrases(), scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGEST_CUTOFF
    )
    return [text for text, _, _ in found]
