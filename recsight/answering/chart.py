"""Charts: a Vega-Lite spec for an answer, a PNG of it, and a compact terminal chart."""

from __future__ import annotations

from typing import Any

from recsight.answering.answer import Answer


def chart_spec(answer: Answer) -> dict[str, Any] | None:
    # TODO(answering): bar for a breakdown, line for a trend; lands with issue 3.
    return None
