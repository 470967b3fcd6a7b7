"""Is a model's semantic query one recsight can run as written? Every problem is reported in words
a model can act on: what is wrong, what would be valid, and the closest valid option."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from recsight.planning.base import PlanContext
from semantic_layer.compiler import compile_query
from semantic_layer.errors import UserError, closest
from semantic_layer.query import Filter, SemanticQuery
from semantic_layer.spec import SemanticModel

_VALUE_OPERATORS = ("=", "!=", "in", "not in")
_MAX_LISTED = 20


class Invalid(Exception):
    """A proposed query that can't run; the message is written for the model to repair it."""


def checked_query(data: dict[str, Any], context: PlanContext) -> SemanticQuery:
    """The query the model proposed, validated and compiled, or `Invalid` saying why not."""
    try:
        query = SemanticQuery.model_validate(_tidy(data))
    except ValidationError as error:
        raise Invalid(_pydantic_problem(error, context.model)) from None
    query = query.model_copy(update={"filters": [_spelled(f, context) for f in query.filters]})
    try:
        compile_query(context.model, query)
    except UserError as error:
        raise Invalid(str(error)) from None
    return query


def _tidy(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional parts (null, "", []): models often spell 'not needed' that way."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _spelled(item: Filter, context: PlanContext) -> Filter:
    """The filter with each value spelled as the warehouse spells it, or `Invalid`."""
    known = context.values.get(item.dimension)
    dimension = context.model.dimensions.get(item.dimension)
    if item.operator not in _VALUE_OPERATORS or not known or dimension is None:
        return item
    if dimension.type != "categorical":
        return item
    exact = set(known)
    by_case = {v.casefold(): v for v in known}
    spelled: list[Any] = []
    for value in item.values:
        text = str(value)
        if text in exact:
            spelled.append(value)
        elif text.casefold() in by_case:
            # Same letters, different case: the one reading there is, so no guess is involved.
            spelled.append(by_case[text.casefold()])
        else:
            raise Invalid(_unknown_value(item.dimension, text, known))
    return item.model_copy(update={"values": spelled})


def _unknown_value(dimension: str, value: str, known: list[str]) -> str:
    near = closest(value, known, limit=3)
    text = f"'{value}' is not a value of {dimension}."
    if near:
        text += " Did you mean " + " or ".join(f"'{n}'" for n in near) + "?"
    listed = ", ".join(known[:_MAX_LISTED]) + (", ..." if len(known) > _MAX_LISTED else "")
    return f"{text} Values of {dimension}: {listed}."


def _pydantic_problem(error: ValidationError, model: SemanticModel) -> str:
    problems = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item["loc"]) or "query"
        problems.append(f"{where}: {item['msg']}")
    text = "; ".join(problems) + "."
    if any(str(item["loc"][0]) == "metrics" for item in error.errors() if item["loc"]):
        text += f" Valid metrics: {', '.join(sorted(model.metrics))}."
    return text
