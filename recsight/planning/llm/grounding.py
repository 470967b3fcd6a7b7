"""Is every number in a text one the answer computed? The check behind LLM-phrased explanations.

A number in the text is grounded when some known number, as a fraction or as a percentage, rounds
to it at the precision the text shows ("2.37%" from 0.02371, "$184k" from 184,023.5). Numbers
spelled in words are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# A number as prose writes it: an optional sign or currency, digits with thousands separators, a
# fraction, and a scale or percent suffix. Reading prose, not SQL, so a pattern is the right tool.
_NUMBER = re.compile(
    r"(?<![\w.])[-+−]?[$€£]?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(%|k\b|K\b|m\b|M\b|bn\b|B\b)?"
)
_SCALES = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "bn": 1e9, "B": 1e9}


@dataclass(frozen=True)
class Written:
    """A number as it appears in text: its value and how many decimals it shows."""

    text: str
    value: float
    decimals: int
    scale: float = 1.0


def numbers_in(text: str) -> list[Written]:
    found = []
    for match in _NUMBER.finditer(text):
        whole, fraction, suffix = match.group(1), match.group(2) or "", match.group(3) or ""
        value = float(whole.replace(",", "") + fraction)
        decimals = len(fraction) - 1 if fraction else 0
        found.append(Written(match.group(0).strip(), value, decimals, _SCALES.get(suffix, 1.0)))
    return found


def known_numbers(facts: Any, texts: Iterable[str] = ()) -> list[float]:
    """Every number in the facts (nested dicts and lists, and numbers inside strings), plus the
    numbers written in the given texts."""
    values: list[float] = []
    _collect(facts, values)
    for text in texts:
        values.extend(w.value * w.scale for w in numbers_in(text))
    return values


def ungrounded(text: str, known: list[float]) -> list[str]:
    """The numbers written in `text` that no known number accounts for."""
    return [w.text for w in numbers_in(text) if not any(_matches(w, k) for k in known)]


def _matches(written: Written, known: float) -> bool:
    for candidate in (known, known * 100):
        shown = round(abs(candidate) / written.scale, written.decimals)
        if abs(shown - written.value) <= 1e-9 * max(1.0, written.value):
            return True
    return False


def _collect(node: Any, into: list[float]) -> None:
    if isinstance(node, bool):
        return
    if isinstance(node, int | float):
        into.append(float(node))
    elif isinstance(node, str):
        into.extend(w.value * w.scale for w in numbers_in(node))
    elif isinstance(node, dict):
        for value in node.values():
            _collect(value, into)
    elif isinstance(node, list | tuple | set):
        for item in node:
            _collect(item, into)
