"""Find the metrics, dimensions and values a question names: exact phrases first, longest first,
then typos through rapidfuzz. Glue words ("the", "from") are skipped, so filler between the words
of a phrase doesn't hide it."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from recsight.planning.lexicon import Lexicon, Target
from recsight.planning.text import IGNORABLE, STOP, Token

BIGRAM_CUTOFF = 88.0
SUGGEST_CUTOFF = 75.0


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
    stream = [t for t in tokens if t.text not in STOP]
    matches: list[Match] = []
    for size in range(min(lexicon.longest, len(stream)), 0, -1):
        for start in range(len(stream) - size + 1):
            window = stream[start:start + size]
            if any(t.index in used for t in window):
                continue
            if size == 1 and window[0].text in IGNORABLE:
                continue
            found = lexicon.lookup(tuple(t.text for t in window), tuple(t.norm for t in window))
            if found:
                matches.append(Match(frozenset(found), tuple(window)))
                used.update(t.index for t in window)
    matches.extend(_fuzzy(stream, used, lexicon))
    return sorted(matches, key=lambda m: m.start)


def typo_distance(word: str) -> int:
    """Edits tolerated in a word of this length: none for short words, where a typo is a new word."""
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


def near(word: str, candidate: str) -> bool:
    allowed = typo_distance(candidate)
    return allowed > 0 and OSA.distance(word, candidate, score_cutoff=allowed) <= allowed


def _fuzzy(stream: list[Token], used: set[int], lexicon: Lexicon) -> list[Match]:
    phrases = lexicon.phrases()
    singles = [p for p in phrases if " " not in p]
    matches: list[Match] = []
    for size in (3, 2, 1):
        for start in range(len(stream) - size + 1):
            window = stream[start:start + size]
            if any(t.index in used or not t.text.isalpha() for t in window):
                continue
            if size == 1:
                word = window[0].text
                if word in IGNORABLE or len(word) < 5:
                    continue
                hits = [p for p in singles if near(word, p) or near(window[0].norm, p)]
                if len({frozenset(lexicon.raw[(h,)]) for h in hits}) != 1:
                    continue
                best = hits[0]
            else:
                text = " ".join(t.text for t in window)
                found = process.extractOne(text, phrases, scorer=fuzz.ratio,
                                           score_cutoff=BIGRAM_CUTOFF)
                if found is None or found[0].count(" ") != size - 1:
                    continue
                best = found[0]
            targets = lexicon.raw[tuple(best.split())]
            matches.append(Match(frozenset(targets), tuple(window), fuzzy=True))
            used.update(t.index for t in window)
    return matches


def suggestions(word: str, lexicon: Lexicon, limit: int = 3) -> list[str]:
    found = process.extract(word, lexicon.phrases(), scorer=fuzz.WRatio, limit=limit,
                            score_cutoff=SUGGEST_CUTOFF)
    return [text for text, _, _ in found]


def corrected(word: str, vocabulary: frozenset[str] | set[str]) -> str | None:
    """The vocabulary word a typo stands for, when exactly one is close enough."""
    if word in vocabulary or len(word) < 4:
        return None
    hits = [v for v in vocabulary if abs(len(v) - len(word)) <= 2 and typo_distance(v) > 0
            and OSA.distance(word, v) <= typo_distance(v)]
    return hits[0] if len(hits) == 1 else None
