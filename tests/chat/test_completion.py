"""Tab completion offers commands, then metric, dimension and value names, whole."""

from __future__ import annotations

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from recsight.chat.completion import ChatCompleter

COMPLETER = ChatCompleter(
    commands=["/dimensions", "/export", "/run", "/sql"],
    metrics=["ctr", "clicks", "conversion_rate"],
    dimensions=["algorithm", "category", "clv_tier"],
    values=lambda: {"algorithm": ["Collaborative Filtering", "Neural Network"]},
    saved=lambda: ["weekly-ctr"],
)

CASES = [
    ("/ex", [("/export", -3)]),
    ("/export p", [("parquet", -1)]),
    ("/run w", [("weekly-ctr", -1)]),
    ("/dimensions c", [("category", -1), ("clv_tier", -1)]),
    ("ctr for Neur", [("Neural Network", -4)]),
    ("ctr of collaborative fil", [("Collaborative Filtering", -17)]),
    ("conv", [("conversion_rate", -4)]),
    ("ctr by ", []),
    ("ctr", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_completion_offers_the_names_that_start_with_what_was_typed(
    text: str, expected: list[tuple[str, int]]
) -> None:
    found = COMPLETER.get_completions(Document(text), CompleteEvent(completion_requested=True))
    assert [(c.text, c.start_position) for c in found] == expected
