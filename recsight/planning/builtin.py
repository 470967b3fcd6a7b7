"""The built-in planner: no LLM, no network. It reads a question with the model's own vocabulary
(metric, dimension and value names and synonyms) and a small grammar of ranking, comparison,
exclusion and time phrases. Every word is used or knowingly ignored; when a needed part can't be
resolved, or two readings are equally likely, it refuses and says what would work."""

from __future__ import annotations

import logging
import re

from recsight.answering.ask import default_as_of
from recsight.planning.base import Plan, PlanContext
from recsight.planning.compose import build_query
from recsight.planning.lexicon import Lexicon, lexicon_for
from recsight.planning.matcher import corrected, find_matches
from recsight.planning.reading import Reading
from recsight.planning.refusals import refuse_mutation, refuse_unknown, unknown_words
from recsight.planning.text import (
    GRAMMAR,
    IGNORABLE,
    IMPERATIVES,
    MUTATION_WORDS,
    STOP,
    Token,
    normalize,
    tokenize,
)
from recsight.planning.timephrases import TIME_WORDS, read_time
from semantic_layer.errors import PlanningError

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1_000
# Phrases that only intensify ("at least once"): consumed before ranking words are looked for.
_IDIOMS = re.compile(
    r"\bat\s+least\s+(?:once|one\b(?!\s+\w+\s+(?:per|a|each)))|\bso\s+far\b|"
    r"\bin\s+total\b|\ba\s+lot\b|\bthe\s+most\s+recent\b|\bhighest\s+first\b|"
    r"\blowest\s+first\b"
)


class BuiltinPlanner:
    name = "builtin"

    def plan(self, question: str, context: PlanContext) -> Plan:
        text = _checked(question)
        tokens = tokenize(text)
        if not tokens:
            raise PlanningError(
                f"'{question.strip()}' has no words to read.",
                hint="Ask e.g. 'CTR by algorithm last 30 days'.",
            )
        if any(t.text in MUTATION_WORDS for t in tokens) or tokens[0].text in IMPERATIVES:
            refuse_mutation(tokens)
        lexicon = lexicon_for(context.model, context.values)
        text, fixes = _correct_typos(text, tokens, lexicon)
        tokens = tokenize(text)

        as_of = default_as_of(context)
        earliest = context.data_range.start if context.data_range else None
        time = read_time(text, as_of, earliest)
        spans = [*time.spans, *(m.span() for m in _IDIOMS.finditer(text))]
        in_range = {
            t.index
            for t in tokens
            if time.range_span and time.range_span[0] <= t.start < time.range_span[1]
        }
        used = {t.index for t in tokens for s in spans if s[0] <= t.start < s[1]}
        order_words = {
            t.index
            for t in tokens
            for m in _IDIOMS.finditer(text)
            if m.start() <= t.start < m.end() and t.text in ("highest", "lowest")
        }
        matches = find_matches(tokens, used, lexicon)
        used -= order_words

        numeric = {d: v for d, v in context.values.items() if v and all(x.isdigit() for x in v)}
        reading = Reading(context.model, tokens, matches, time, used, numeric, in_range)
        reading.resolve()
        leftovers = unknown_words(tokens, reading.used)
        refuse_unknown(leftovers, reading, lexicon, context)
        query = build_query(reading, context)
        notes = fixes + reading.notes
        if as_of != context.as_of and time.time_range is not None:
            notes.append(f"Relative dates count back from {as_of}, the day after the data ends.")
        log.debug("question %r read as %s", question, query.model_dump_json(exclude_defaults=True))
        return Plan(
            query=query,
            planner="builtin",
            ignored_words=[t.text for t in leftovers],
            notes=notes,
            confidence=reading.confidence(leftovers),
        )


def _checked(question: str) -> str:
    text = normalize(question).strip()
    if not text:
        raise PlanningError(
            "The question is empty.", hint="Ask e.g. 'CTR by algorithm last 30 days'."
        )
    if len(text) > MAX_QUESTION_CHARS:
        raise PlanningError(
            f"The question is {len(text):,} characters long; the limit is {MAX_QUESTION_CHARS:,}.",
            hint="Ask one thing at a time.",
        )
    return text


def _correct_typos(text: str, tokens: list[Token], lexicon: Lexicon) -> tuple[str, list[str]]:
    """Fix misspelt time and filler words ("octobr", "custmers") before anything reads them."""
    known = set(lexicon.phrases()) | IGNORABLE | STOP | GRAMMAR | TIME_WORDS
    fixes: list[str] = []
    for token in reversed(tokens):
        if token.text in known or token.norm in known or not token.text.isalpha():
            continue
        fixed = corrected(token.text, TIME_WORDS) or corrected(token.text, IGNORABLE)
        if fixed:
            text = text[: token.start] + fixed + text[token.end :]
            if fixed in TIME_WORDS:
                fixes.append(f"Read '{token.text}' as '{fixed}'.")
    return text, list(reversed(fixes))
