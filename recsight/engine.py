"""The engine every front end shares: a semantic model bound to a warehouse."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from recsight import config
from recsight.warehouse.executor import Result, Warehouse
from semantic_layer.compiler import CompiledQuery, compile_query
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery
from semantic_layer.spec import SemanticModel
from semantic_layer.values import values_query

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueryResult:
    compiled: CompiledQuery
    result: Result

    @property
    def sql(self) -> str:
        return self.compiled.sql()


class Engine:
    def __init__(self, model: SemanticModel, warehouse: Warehouse) -> None:
        self.model = model
        self.warehouse = warehouse
        self._values: dict[str, list[str]] | None = None

    @classmethod
    def open(
        cls,
        warehouse: str | None = None,
        model: str | None = None,
        progress: config.Progress | None = None,
    ) -> Engine:
        """Resolve flags and environment, building the demo warehouse if nothing is configured."""
        semantic_model = load_model(config.model_path(model))
        path = config.warehouse_path(warehouse, progress)
        return cls(semantic_model, Warehouse(Path(path)))

    def compile(self, query: SemanticQuery) -> CompiledQuery:
        return compile_query(self.model, query)

    def query(self, query: SemanticQuery) -> QueryResult:
        compiled = self.compile(query)
        return QueryResult(compiled, self.warehouse.run(compiled.sql()))

    def dimension_values(
        self, dimension: str, search: str | None = None, limit: int = 50
    ) -> list[tuple[object, int]]:
        """Exact spellings of a dimension's values with their row counts, most frequent first."""
        select = values_query(self.model, dimension, search, limit)
        return [(row[0], int(row[1])) for row in self.warehouse.run(select.sql("duckdb")).rows]

    def values(self) -> dict[str, list[str]]:
        """Every indexed dimension's values, for planners matching words to values."""
        if self._values is None:
            from recsight.planning.values import value_index

            self._values = value_index(self.model, self.warehouse)
        return self._values

    def close(self) -> None:
        self.warehouse.close()
