"""A progress bar on stderr for long work (building a warehouse), shown only once work starts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def progress_bar(title: str, transient: bool = False) -> Iterator[Callable[[str, float], None]]:
    """Yield `update(step, fraction)`; nothing is drawn unless `update` is called."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    state: dict[str, Any] = {}
    console = Console(stderr=True)

    def update(step: str, fraction: float) -> None:
        if "bar" not in state:
            bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TimeElapsedColumn(),
                console=console,
                transient=transient,
            )
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task(title, total=1.0)
        state["bar"].update(state["task"], completed=fraction, description=f"{title}: {step}")

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].update(state["task"], completed=1.0)
            state["bar"].stop()
