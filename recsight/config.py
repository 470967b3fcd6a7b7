"""Where the warehouse and the semantic model come from: flags, then environment, then defaults."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from semantic_layer.errors import WarehouseError

log = logging.getLogger(__name__)

WAREHOUSE_ENV = "RECSIGHT_WAREHOUSE"
MODEL_ENV = "RECSIGHT_MODEL"
HOME_ENV = "RECSIGHT_HOME"

Progress = Callable[[str, float], None]


def data_dir() -> Path:
    """recsight's own files (the demo warehouse, chat history); RECSIGHT_HOME overrides."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("recsight", appauthor=False))


def default_demo_path() -> Path:
    return data_dir() / "demo.duckdb"


def model_path(flag: str | None) -> Path | None:
    chosen = flag or os.environ.get(MODEL_ENV)
    return Path(chosen).expanduser() if chosen else None


def warehouse_path(flag: str | None, progress: Progress | None = None) -> Path:
    """The warehouse to query; with nothing configured, the demo, built on first use."""
    chosen = flag or os.environ.get(WAREHOUSE_ENV)
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            source = "--warehouse" if flag else WAREHOUSE_ENV
            raise WarehouseError(
                f"Warehouse file '{path}' (from {source}) does not exist.",
                hint=f"Create a demo there with `recsight demo --path {path}`, "
                "or point it at an existing DuckDB file.",
            )
        return path
    path = default_demo_path()
    if not path.is_file():
        from recsight.warehouse.demo import DemoSpec, build_demo

        log.warning("no warehouse configured; building the demo warehouse at %s", path)
        path.parent.mkdir(parents=True, exist_ok=True)
        build_demo(DemoSpec(path=path, end=date.today() - timedelta(days=1)), progress)
    return path
