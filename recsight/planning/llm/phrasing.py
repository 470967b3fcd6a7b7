"""Fluent explanations, grounded: the LLM rewrites the built-in explanation from its facts, and
the rewrite is used only if every number in it is one the answer computed."""

from __future__ import annotations

import json
import logging

from recsight.answering.answer import Answer
from recsight.planning.llm.client import LlmClient
from recsight.planning.llm.failures import RequestRejected
from recsight.planning.llm.grounding import known_numbers, numbers_in, ungrounded
from recsight.planning.llm.prompts import load_prompts
from recsight.planning.llm.replies import extract_json

log = logging.getLogger(__name__)

MAX_SENTENCES = 4


def phrased(client: LlmClient, answer: Answer, prompt_version: str) -> list[str] | None:
    """The LLM's sentences, or None when it wrote a number the facts don't hold (or nothing)."""
    prompts = load_prompts("phrasing", prompt_version)
    user = prompts.render(
        "user",
        max_sentences=MAX_SENTENCES,
        question=answer.question or answer.restatement,
        restatement=answer.restatement,
        facts=json.dumps(answer.facts, ensure_ascii=False, default=str),
        explanation="\n".join(answer.explanation),
    )
    messages = [
        {"role": "system", "content": prompts.render("system")},
        {"role": "user", "content": user},
    ]
    try:
        reply = client.chat(messages, response_format={"type": "json_object"})
    except RequestRejected:
        reply = client.chat(messages)
    sentences = _sentences(reply.content or "")
    if not sentences:
        log.warning("phrasing: the LLM's reply held no sentences; keeping the built-in text")
        return None
    text = " ".join(sentences)
    stray = ungrounded(text, known_numbers(answer.facts, _grounding_texts(answer)))
    problem = _implausible(text, answer)
    if problem:
        log.warning("phrasing rejected: %s; keeping the built-in text", problem)
        return None
    if stray:
        log.warning(
            "phrasing rejected: %s not among the computed facts; keeping the built-in text",
            ", ".join(stray),
        )
        return None
    return sentences


def _implausible(text: str, answer: Answer) -> str:
    """Checks beyond numbers that catch a reply which is not an explanation of this answer."""
    original = " ".join(answer.explanation)
    if len(text) > 2 * len(original) + 200:
        return f"it is {len(text)} characters long, against {len(original)} built-in"
    if numbers_in(original) and not numbers_in(text):
        return "it states none of the numbers"
    return ""


def _sentences(content: str) -> list[str]:
    try:
        found = extract_json(content)
    except ValueError:
        return []
    if found is None:
        return []
    items = found.get("sentences")
    if not isinstance(items, list):
        return []
    return [" ".join(s.split()) for s in items if isinstance(s, str) and s.strip()][:MAX_SENTENCES]


def _grounding_texts(answer: Answer) -> list[str]:
    """Texts whose numbers the answer itself states: its explanation, how the question was read,
    its dates, and the names of the groups in its rows (a version 'nn-v2', a slot '3')."""
    texts = [*answer.explanation, answer.restatement]
    for span in (answer.time_range, answer.data_range):
        if span is not None:
            texts.append(f"{span.start.isoformat()} {span.end.isoformat()}")
    dimensions = [answer.columns.index(c) for c in answer.dimension_columns()]
    texts.extend(str(row[i]) for row in answer.rows for i in dimensions)
    return texts
