"""What the tools share: the semantic model (read at start-up) and the engine (opened on first use).

Opening the warehouse imports DuckDB and may build the demo, so it waits for the first tool that
needs data; `tools/list` never pays for it.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from semantic_layer.spec import SemanticModel

if TYPE_CHECKING:
    from recsight.engine import Engine

log = logging.getLogger(__name__)


class ServerState:
    def __init__(self, model: SemanticModel, warehouse: str | None, model_path: str | None):
        self.model = model
        self._warehouse = warehouse
        self._model_path = model_path
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        """The shared engine; the first caller opens it, concurrent callers wait for it."""
        with self._lock:
            if self._engine is None:
                from recsight.engine import Engine

                self._engine = Engine.open(self._warehouse, self._model_path)
                log.info("warehouse opened: %s", self._engine.warehouse.path)
            return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
                self._engine = None
