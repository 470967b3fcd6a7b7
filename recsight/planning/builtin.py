"""The built-in planner: no LLM, no network. It reads a question with the model's own vocabulary
(metric, dimension and value names and synonyms) and a small grammar of ranking, comparison,
exclusion and time phrases. Every word is used or knowingly ignored; when a needed part can't be
resolved, or two readings are equally likely, it refuses and says what would work."""

from __future__ import annotations

import logging

from recsight.answering.ask import default_as_of
from recsight.planning.base import Plan, PlanContext
from recsight.planning.lexicon import lexicon_for
from recsight.planning.matcher import Match, find_matches
from recsight.planning.reading import Reading, build_query
from recsight.planning.refusals import refuse_mutation, refuse_unknown, unknown_words
from recsight.planning.text import MUTATION_WORDS, normalize, tokenize
from recsight.planning.timephrases import read_time
from semantic_layer.errors import PlanningError

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1_000


class BuiltinPlanner:
    name = "builtin"

    def plan(self, question: str, context: PlanContext) -> Plan:
        text = normalize(question).strip()
        if not text:
            raise PlanningError(
                "The question is empty.", hint="Ask e.g. 'CTR by algorithm last 30 days'."
            )
        if len(text) > MAX_QUESTION_CHARS:
            raise PlanningError(
                f"The question is {len(text):,} characters long; the limit is "
                f"{MAX_QUESTION_CHARS:,}.",
                hint="Ask one thing at a time.",
            )
        tokens = tokenize(text)
        if any(t.text in MUTATION_WORDS for t in tokens):
            refuse_mutation(tokens)

        as_of = default_as_of(context)
        time = read_time(text, as_of)
        used = {t.index for t in tokens for s in time.spans if s[0] <= t.start < s[1]}
        lexicon = lexicon_for(context.model, context.values)
        matches: list[Match] = find_matches(tokens, used, lexicon)

        reading = Reading(context.model, tokens, matches, time, used)
        reading.resolve()
        leftovers = unknown_words(tokens, reading.used)
        refuse_unknown(leftovers, reading, lexicon, context)
        query = build_query(reading, context)
        notes = reading.notes
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
