"""The dimension values the planner matches words against, read once per warehouse file.

The index is cached beside recsight's data, keyed by the warehouse's path, size and modification
time, so a rebuilt warehouse is re-indexed and an unchanged one costs a file read.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from recsight import config
from recsight.answering.formatting import plain
from recsight.warehouse.executor import Warehouse
from semantic_layer.spec import SemanticModel
from semantic_layer.values import values_query

log = logging.getLogger(__name__)

MAX_VALUES = 500


def value_index(model: SemanticModel, warehouse: Warehouse) -> dict[str, list[str]]:
    cache = _cache_file(model, warehouse.path)
    if cache.is_file():
        try:
            loaded = json.loads(cache.read_text(encoding="utf-8"))
            return {k: [str(v) for v in values] for k, values in loaded.items()}
        except (OSError, ValueError):
            log.warning("value index cache %s unreadable; rebuilding it", cache)
    index = _read_values(model, warehouse)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(index), encoding="utf-8")
    except OSError as error:
        log.warning("could not cache the value index at %s: %s", cache, error)
    return index


def _read_values(model: SemanticModel, warehouse: Warehouse) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for dim in model.dimensions.values():
        if dim.type == "time" or not dim.index_values:
            continue
        rows = warehouse.run(values_query(model, dim.name, limit=MAX_VALUES).sql("duckdb")).rows
        index[dim.name] = [str(plain(row[0])) for row in rows]
    return index


def _cache_file(model: SemanticModel, path: Path) -> Path:
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{model.model_dump_json()}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return config.data_dir() / "cache" / f"values-{digest}.json"
