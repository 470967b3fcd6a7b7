"""Words of a question: tokens with their positions, light inflection folding, and the words the
planner knowingly ignores."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\d{4}-\d{2}-\d{2}|\d+(?:\.\d+)?%?|[a-z][a-z0-9']*|[<>]=?|!=")


@dataclass(frozen=True)
class Token:
    text: str
    """As written, lower-cased."""
    norm: str
    """Folded: plural and possessive endings removed."""
    index: int
    start: int
    end: int


def normalize(question: str) -> str:
    return question.lower().replace("’", "'").replace("‘", "'").replace("–", "-")


def tokenize(question: str) -> list[Token]:
    matches = _TOKEN.finditer(normalize(question))
    return [Token(m.group(), fold(m.group()), i, m.start(), m.end()) for i, m in enumerate(matches)]


def fold(word: str) -> str:
    """A crude stemmer for matching: plurals and possessives to the singular."""
    word = word.removesuffix("'s").removesuffix("'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def fold_phrase(phrase: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(phrase.replace("-", " - ").replace(" - ", "-")))


# Words that carry no meaning for the query: question scaffolding, politeness, filler, and nouns
# that only name the entity being counted ("customers" in "high-value customers").
IGNORABLE = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "with",
        "by",
        "per",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "done",
        "doing",
        "what",
        "whats",
        "what's",
        "which",
        "who",
        "whom",
        "whose",
        "how",
        "hows",
        "how's",
        "why",
        "when",
        "where",
        "show",
        "shows",
        "showing",
        "me",
        "us",
        "we",
        "our",
        "ours",
        "my",
        "i",
        "you",
        "your",
        "it",
        "its",
        "it's",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "them",
        "they",
        "give",
        "gimme",
        "get",
        "got",
        "tell",
        "list",
        "display",
        "report",
        "find",
        "see",
        "look",
        "looking",
        "let",
        "lets",
        "let's",
        "please",
        "pls",
        "plz",
        "thanks",
        "thank",
        "thx",
        "can",
        "could",
        "would",
        "will",
        "should",
        "shall",
        "may",
        "might",
        "must",
        "need",
        "want",
        "wanted",
        "like",
        "know",
        "check",
        "any",
        "some",
        "all",
        "each",
        "every",
        "much",
        "many",
        "number",
        "numbers",
        "count",
        "amount",
        "total",
        "overall",
        "value",
        "figure",
        "figures",
        "stat",
        "stats",
        "statistic",
        "statistics",
        "data",
        "metric",
        "metrics",
        "kpi",
        "kpis",
        "result",
        "results",
        "table",
        "breakdown",
        "break",
        "down",
        "broken",
        "split",
        "across",
        "into",
        "out",
        "up",
        "over",
        "about",
        "than",
        "as",
        "so",
        "just",
        "only",
        "also",
        "too",
        "very",
        "really",
        "actually",
        "currently",
        "now",
        "then",
        "again",
        "still",
        "ever",
        "right",
        "going",
        "doing",
        "hey",
        "hi",
        "hello",
        "ok",
        "okay",
        "well",
        "please",
        "customer",
        "shopper",
        "user",
        "users",
        "people",
        "visitor",
        "buyer",
        "client",
        "segment",
        "segments",
        "group",
        "groups",
        "bucket",
        "recommendation",
        "recommended",
        "recs",
        "rec",
        "recommendations",
        "our",
        "site",
        "store",
        "shop",
        "website",
        "ecommerce",
        "performance",
        "perform",
        "performing",
        "performed",
        "doing",
        "going",
        "look",
        "looks",
        "trend",
        "trending",
        "numbers",
        "has",
        "have",
        "had",
        "having",
        "getting",
        "gets",
        "give",
        "given",
        "been",
        "be",
    ]
)

# Words that only steer the grammar: comparison, ranking and filter cues the planner consumes.
COMPARE_WORDS = frozenset(
    [
        "vs",
        "versus",
        "compared",
        "compare",
        "comparing",
        "comparison",
        "against",
        "beating",
        "beat",
        "beats",
        "outperform",
        "outperforms",
        "outperforming",
        "better",
        "worse",
        "than",
        "relative",
        "difference",
        "differ",
        "between",
    ]
)
RANK_DESC = frozenset(
    [
        "top",
        "best",
        "highest",
        "most",
        "max",
        "maximum",
        "leading",
        "biggest",
        "largest",
        "greatest",
        "strongest",
        "winning",
        "winner",
    ]
)
RANK_ASC = frozenset(
    [
        "bottom",
        "worst",
        "lowest",
        "least",
        "min",
        "minimum",
        "smallest",
        "weakest",
        "fewest",
        "poorest",
        "underperforming",
        "lagging",
    ]
)
EXCLUDE_WORDS = frozenset(
    ["excluding", "exclude", "except", "without", "not", "other", "minus", "ignoring", "excluded"]
)
MUTATION_WORDS = frozenset(
    [
        "delete",
        "drop",
        "update",
        "insert",
        "truncate",
        "alter",
        "remove",
        "modify",
        "grant",
        "overwrite",
        "erase",
        "wipe",
    ]
)
OVERVIEW_WORDS = frozenset(
    [
        "performance",
        "perform",
        "performing",
        "performed",
        "doing",
        "overview",
        "summary",
        "beating",
        "beat",
        "beats",
        "outperform",
        "outperforms",
        "outperforming",
        "better",
        "worse",
        "winning",
        "kpi",
        "kpis",
    ]
)
