"""Answers to the model's `get_dimension_values`: exact spellings from the warehouse, or from the
planning context's value index when no warehouse is at hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from recsight.planning.base import PlanContext
from recsight.planning.llm.prompts import PromptSet
from semantic_layer.errors import UserError, closest, unknown_name

Lookup = Callable[[str, str | None, int], list[tuple[object, int]]]
"""A dimension's values containing a text, most frequent first: `Engine.dimension_values`."""

MAX_VALUES_SHOWN = 40


def values_reply(
    data: dict[str, Any], context: PlanContext, prompts: PromptSet, lookup: Lookup | None
) -> str:
    """The message that answers one lookup, whether it found values or not."""
    dimension = data.get("dimension")
    search = data.get("search")
    search = search.strip() if isinstance(search, str) and search.strip() else None
    categorical = [n for n, d in context.model.dimensions.items() if d.type != "time"]
    if not isinstance(dimension, str) or dimension not in categorical:
        problem = unknown_name("dimension", str(dimension), categorical)
        return prompts.message("feedback", "bad_lookup", problem=problem)
    try:
        found = _find(dimension, search, context, lookup)
        every = found if found else _find(dimension, None, context, lookup)
    except UserError as error:
        return prompts.message("feedback", "bad_lookup", problem=error)
    if found:
        matching = f" containing '{search}'" if search else ""
        shown = " | ".join(found[:MAX_VALUES_SHOWN])
        return prompts.message(
            "feedback", "values", dimension=dimension, matching=matching, values=shown
        )
    near = closest(search or "", every, limit=10, cutoff=50) or every[:20]
    return prompts.message(
        "feedback", "no_values", dimension=dimension, search=search, values=" | ".join(near)
    )


def _find(
    dimension: str, search: str | None, context: PlanContext, lookup: Lookup | None
) -> list[str]:
    if lookup is not None:
        return [str(v) for v, _ in lookup(dimension, search, MAX_VALUES_SHOWN)]
    known = context.values.get(dimension, [])
    if search is None:
        return list(known)
    return [v for v in known if search.casefold() in v.casefold()]
