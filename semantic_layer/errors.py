"""Errors at the bottom of the import graph.

`UserError` and its subclasses are problems the user (or a model calling a tool) caused and can fix:
their message names the offending item, lists what would be valid and suggests the closest name.
Anything else that escapes is a bug in recsight.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process

_MAX_LISTED = 12


class RecsightError(Exception):
    """Base class of every error recsight raises on purpose."""


class UserError(RecsightError):
    """A problem in what the user asked for; the message says how to fix it."""

    def __init__(self, message: str, *, hint: str = "", options: Sequence[str] = ()) -> None:
        self.message = message
        self.hint = hint
        self.options = list(options)
        super().__init__(self.render())

    def render(self) -> str:
        return f"{self.message} {self.hint}".strip()


class ModelError(UserError):
    """The semantic model file is invalid."""


class QueryError(UserError):
    """A semantic query names something unknown or asks for an impossible combination."""


class FilterError(UserError):
    """A filter expression is malformed or uses something it may not."""


class TimeRangeError(UserError):
    """A date or time range could not be read."""


class GuardError(UserError):
    """SQL was refused by the SQL guard."""


class WarehouseError(UserError):
    """The warehouse is missing, unreadable, or a query on it failed."""


class PlanningError(UserError):
    """A question could not be turned into a semantic query."""


class EndpointError(UserError):
    """An LLM endpoint could not be used."""


def closest(name: str, options: Iterable[str], limit: int = 3, cutoff: float = 60.0) -> list[str]:
    """The options that look most like `name`, best first."""
    choices = list(options)
    if not choices:
        return []
    found = process.extract(
        name.lower(),
        [c.lower() for c in choices],
        scorer=fuzz.WRatio,
        limit=limit,
        score_cutoff=cutoff,
    )
    return [choices[index] for _, _, index in found]


def unknown_name(kind: str, name: str, options: Iterable[str], *, where: str = "") -> str:
    """A message for an unknown name: what it was, the valid names, and a did-you-mean."""
    valid = sorted(set(options))
    suggestion = closest(name, valid, limit=1)
    listed = ", ".join(valid[:_MAX_LISTED])
    if len(valid) > _MAX_LISTED:
        listed += f" and {len(valid) - _MAX_LISTED} more"
    place = f" {where}" if where else ""
    text = f"Unknown {kind} '{name}'{place}."
    if suggestion:
        text += f" Did you mean '{suggestion[0]}'?"
    if valid:
        text += f" Valid {kind}s: {listed}."
    return text
