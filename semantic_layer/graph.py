"""Which tables a fact table reaches through many-to-one joins, and by which path.

Only many-to-one joins are followed, so joining a reached table to its fact never multiplies the
fact's rows: this is what keeps measures free of fan-out.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from semantic_layer.spec import Join, SemanticModel


@dataclass(frozen=True)
class Step:
    source: str
    join: Join


@dataclass(frozen=True)
class Reach:
    """The shortest join path from one fact table to each table it reaches."""

    fact: str
    paths: dict[str, tuple[Step, ...]]
    ambiguous: frozenset[str]

    def reaches(self, table: str) -> bool:
        return table in self.paths

    def steps_to(self, tables: set[str]) -> list[Step]:
        """The joins needed to bring in `tables`, each once, in an order that can be emitted."""
        seen: set[str] = set()
        steps: list[Step] = []
        # Ties broken by name: a set's order changes between processes, the SQL must not.
        for table in sorted(tables, key=lambda t: (len(self.paths[t]), t)):
            for step in self.paths[table]:
                if step.join.to not in seen:
                    seen.add(step.join.to)
                    steps.append(step)
        return steps


def _reach(model: SemanticModel, fact: str) -> Reach:
    paths: dict[str, tuple[Step, ...]] = {fact: ()}
    ambiguous: set[str] = set()
    queue = deque([fact])
    while queue:
        table = queue.popleft()
        for join in model.tables[table].joins:
            path = (*paths[table], Step(table, join))
            known = paths.get(join.to)
            if known is None:
                paths[join.to] = path
                queue.append(join.to)
            elif len(known) == len(path) and known != path:
                ambiguous.add(join.to)
    return Reach(fact, paths, frozenset(ambiguous))


_cache: dict[tuple[int, str], tuple[SemanticModel, Reach]] = {}


def reach(model: SemanticModel, fact: str) -> Reach:
    # Keyed by identity (models hold dicts, so they are not hashable); the model is kept in the
    # entry so its id can't be reused while cached.
    key = (id(model), fact)
    if key not in _cache:
        _cache[key] = (model, _reach(model, fact))
    return _cache[key][1]
