"""Tab completion: commands, then metric, dimension and dimension-value names as you type."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from recsight.chat.export import FORMATS

_MAX_WORDS = 3
"""Values like 'Collaborative Filtering' span words; complete from up to this many back."""


class ChatCompleter(Completer):
    def __init__(
        self,
        commands: Iterable[str],
        metrics: Iterable[str],
        dimensions: Iterable[str],
        values: Callable[[], dict[str, list[str]]],
        saved: Callable[[], list[str]],
    ) -> None:
        self.commands = sorted(commands)
        self.metrics = sorted(metrics)
        self.dimensions = sorted(dimensions)
        self._values = values
        self._saved = saved
        self._value_names: list[str] | None = None

    def value_names(self) -> list[str]:
        if self._value_names is None:
            found = {v for values in self._values().values() for v in values}
            self._value_names = sorted(found, key=str.lower)
        return self._value_names

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        text = document.text_before_cursor
        if text.lstrip().startswith("/"):
            yield from self._command(text.lstrip())
            return
        yield from self._names(text)

    def _command(self, text: str) -> Iterable[Completion]:
        words = text.split()
        if len(words) <= 1 and not text.endswith(" "):
            yield from _matching(text, self.commands, "command")
            return
        partial = "" if text.endswith(" ") else words[-1]
        command, position = words[0], len(words) - (0 if text.endswith(" ") else 1)
        options: list[str] = []
        if command == "/dimensions" and position == 1:
            options = self.dimensions
        elif command == "/export" and position == 1:
            options = list(FORMATS)
        elif command == "/run" and position == 1:
            options = self._saved()
        yield from _matching(partial, options, "")

    def _names(self, text: str) -> Iterable[Completion]:
        words = text.split(" ")
        seen: set[str] = set()
        for count in range(min(_MAX_WORDS, len(words)), 0, -1):
            tail = " ".join(words[-count:])
            if not tail.strip() or (count > 1 and not words[-count]):
                continue
            for kind, names in (
                ("metric", self.metrics),
                ("dimension", self.dimensions),
                ("value", self.value_names()),
            ):
                for completion in _matching(tail, names, kind):
                    if completion.text not in seen:
                        seen.add(completion.text)
                        yield completion


def _matching(partial: str, options: Iterable[str], meta: str) -> Iterable[Completion]:
    lowered = partial.lower()
    for option in options:
        if option.lower().startswith(lowered) and option.lower() != lowered:
            yield Completion(option, start_position=-len(partial), display_meta=meta)
