"""A number in a phrased explanation must be one the answer computed, at the precision shown."""

from __future__ import annotations

import pytest

from recsight.planning.llm.grounding import known_numbers, ungrounded

FACTS = {
    "leader": {"algorithm": "Neural Network", "ctr": 0.02371},
    "runner_up": {"ctr": 0.01904},
    "revenue": 184023.5,
    "groups": 3,
    "summary": "CTR 2.37% vs 1.90%",
}
KNOWN = known_numbers(FACTS, ["CTR by algorithm, 1–30 Nov 2026"])

CASES = [
    ("Neural Network leads with a CTR of 2.37%.", []),
    ("That is 2.4% against 1.9%.", []),
    ("Revenue was $184,024, or about $184k.", []),
    ("All 3 algorithms were shown from 1 to 30 Nov 2026.", []),
    ("The raw rate was 0.0237.", []),
    ("Neural Network leads with a CTR of 2.73%.", ["2.73%"]),
    ("It is 24% better than collaborative filtering.", ["24%"]),
    ("Revenue grew to $190k.", ["$190k"]),
    ("Across 4 algorithms.", ["4"]),
]


@pytest.mark.parametrize(("text", "stray"), CASES, ids=[t for t, _ in CASES])
def test_numbers_are_grounded_only_when_a_fact_rounds_to_them(text: str, stray: list[str]) -> None:
    assert ungrounded(text, KNOWN) == stray
