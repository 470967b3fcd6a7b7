"""Find the metrics, dimensions and values a question names: exact phrases first, longest first,
then typos through rapidfuzz. Glue words ("the", "from") are skipped, so filler between the words
of a phrase doesn't hide it."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from recsight.planning.lexicon import Lexicon, Target
from recsight.planning.text import IGNORABLE, STOP, Token, fold

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
            window = stream[start : start + size]
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
    """Edits tolerated in a word this long: none for short words, where a typo is a new word."""
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


def _fuzzy(stream: list[Token], used: set[int], lexicon: Lexicon) -> list[Match]:
    by_size: dict[int, list[tuple[str, ...]]] = {}
    for phrase in lexicon.raw:
        by_size.setdefault(len(phrase), []).append(phrase)
    matches: list[Match] = []
    for size in (3, 2, 1):
        for start in range(len(stream) - size + 1):
            window = stream[start : start + size]
            if any(t.index in used or not t.text.isalpha() for t in window):
                continue
            if size == 1 and (window[0].text in IGNORABLE or len(window[0].text) < 5):
                continue
            best = _closest(window, by_size.get(size, []), lexicon)
            if best is None:
                continue
            matches.append(Match(frozenset(lexicon.raw[best]), tuple(window), fuzzy=True))
            used.update(t.index for t in window)
    return matches


def _closest(
    window: list[Token], phrases: list[tuple[str, ...]], lexicon: Lexicon
) -> tuple[str, ...] | None:
    """The phrase every word of which is the window's word or a typo of it; None if unclear."""
    scored: list[tuple[int, tuple[str, ...]]] = []
    for phrase in phrases:
        total = 0
        for token, word in zip(window, phrase, strict=True):
            distance = min(_distance(token.text, word), _distance(token.norm, word), key=_rank)
            if distance < 0:
                break
            total += distance
        else:
            if total > 0:
                scored.append((total, phrase))
    if not scored:
        return None
    low = min(score for score, _ in scored)
    targets = {frozenset(lexicon.raw[p]) for score, p in scored if score == low}
    return next(p for score, p in scored if score == low) if len(targets) == 1 else None


def _distance(word: str, candidate: str) -> int:
    """Edit distance if within the typo allowance for the candidate, else -1."""
    if word == candidate:
        return 0
    allowed = typo_distance(candidate)
    if allowed == 0:
        return -1
    distance = OSA.distance(word, candidate, score_cutoff=allowed)
    return distance if distance <= allowed else -1


def suggestions(word: str, lexicon: Lexicon, limit: int = 3) -> list[str]:
    found = process.extract(
        word, lexicon.phrases(), scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGEST_CUTOFF
    )
    return [text for text, _, _ in found]


def corrected(word: str, vocabulary: frozenset[str] | set[str]) -> str | None:
    """The vocabulary word a typo stands for, when exactly one is close enough."""
    if word in vocabulary or len(word) < 4:
        return None
    scored = sorted(
        (d, v)
        for v in vocabulary
        if (d := min(_distance(word, v), _distance(fold(word), v), key=_rank)) >= 0
    )
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


def _rank(distance: int) -> int:
    return distance if distance >= 0 else 99
