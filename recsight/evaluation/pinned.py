"""The warehouse the suite's gold answers are defined on: the demo, pinned in every parameter."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from recsight import config

log = logging.getLogger(__name__)

SCALE = 1.0
SEED = 7
END = date(2026, 11, 30)
AS_OF = date(2026, 12, 1)
"""'Today' for relative time ranges: the day after the data ends, as with a nightly load."""

FILE_NAME = "eval-demo.duckdb"


@dataclass(frozen=True)
class EvalWarehouse:
    path: Path
    built: bool
    """True when this run built it, False when an existing file was reused."""
    pinned: bool
    """False for a file the user chose that was built some other way: gold is still computed on
    it, but the questions were written for the pinned data and some may not fit."""


def default_path() -> Path:
    return config.data_dir() / FILE_NAME


def ensure_warehouse(
    chosen: Path | None = None, progress: config.Progress | None = None
) -> EvalWarehouse:
    """The warehouse to evaluate on, built with the pinned parameters when it is missing.

    Our own file (no `chosen`) is rebuilt when it no longer matches the pin; a file the user chose
    is never overwritten.
    """
    target = chosen or default_path()
    if target.is_file():
        pinned = matches_pin(target)
        if pinned or chosen is not None:
            if not pinned:
                log.warning("%s was not built with the eval pin; gold may not fit it", target)
            return EvalWarehouse(target, built=False, pinned=pinned)
        log.warning("%s is not the pinned eval warehouse; rebuilding it", target)
        target.unlink()
    build(target, progress)
    return EvalWarehouse(target, built=True, pinned=True)


def build(target: Path, progress: config.Progress | None = None) -> Path:
    from recsight.warehouse.demo import DemoSpec, build_demo

    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(build_demo(DemoSpec(path=target, scale=SCALE, seed=SEED, end=END), progress))


def matches_pin(path: Path) -> bool:
    """Whether the file's own record of how it was built is the pinned scale, seed and end."""
    from recsight.warehouse.executor import Warehouse
    from semantic_layer.errors import WarehouseError

    try:
        warehouse = Warehouse(path)
    except WarehouseError:
        return False
    try:
        info = warehouse.info()
    finally:
        warehouse.close()
    return describes_pin(info)


def describes_pin(info: dict[str, str]) -> bool:
    try:
        return (
            float(info.get("scale", "nan")) == SCALE
            and int(info.get("seed", "-1")) == SEED
            and info.get("end_date") == END.isoformat()
        )
    except ValueError:
        return False
