"""Tool errors written for the model that made the call: what was wrong and how to repair it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from semantic_layer.errors import closest

_SHOWN_INPUT_CHARS = 60
_MAX_LISTED = 5


def invalid_arguments(tool: str, error: ValidationError) -> str:
    """One line per problem, naming the argument, what it must be, and what was sent."""
    problems = [_problem(item) for item in error.errors()[:_MAX_LISTED]]
    more = len(error.errors()) - len(problems)
    text = f"Invalid arguments for {tool}: " + " ".join(problems)
    if more > 0:
        text += f" ({more} more problem(s) not shown.)"
    return text + f" Fix the arguments and call {tool} again; the input schema has the details."


def unknown_arguments(tool: str, given: Iterable[str], allowed: Iterable[str]) -> str | None:
    valid = sorted(allowed)
    extra = [name for name in given if name not in valid]
    if not extra:
        return None
    name = extra[0]
    suggestion = closest(name, valid, limit=1)
    text = f"{tool} has no argument '{name}'."
    if suggestion:
        text += f" Did you mean '{suggestion[0]}'?"
    return text + f" Its arguments are: {', '.join(valid)}."


def _problem(item: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in item["loc"]) or "arguments"
    kind = item["type"]
    context = item.get("ctx") or {}
    got = _shown(item.get("input"))
    if kind == "missing":
        return f"'{where}' is required."
    if kind == "string_too_long":
        size = len(item["input"]) if isinstance(item.get("input"), str) else 0
        return (
            f"'{where}' is too long: {size:,} characters; at most {context['max_length']:,} "
            "are accepted."
        )
    if kind == "too_long":
        return f"'{where}' has too many items; at most {context.get('max_length')}."
    if kind in ("too_short", "string_too_short"):
        return f"'{where}' must not be empty."
    if kind == "literal_error":
        return f"'{where}' must be one of {context.get('expected')} (got {got})."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"'{where}' must be a whole number (got {got})."
    if kind in ("less_than_equal", "greater_than_equal"):
        return f"'{where}' is out of range: {item['msg'].lower()} (got {got})."
    if kind.startswith("date"):
        return f"'{where}' must be a date written YYYY-MM-DD (got {got})."
    if kind == "list_type":
        return f"'{where}' must be a list, e.g. [\"ctr\"] (got {got})."
    if kind == "extra_forbidden":
        return f"'{where}' is not an allowed field."
    return f"'{where}': {item['msg']} (got {got})."


def _shown(value: Any) -> str:
    """The offending input, cut short: it may be megabytes, and it is the caller's data."""
    text = repr(value)
    if len(text) > _SHOWN_INPUT_CHARS:
        text = text[:_SHOWN_INPUT_CHARS] + f"... ({len(text):,} characters)"
    return text
