"""One scale-1 demo warehouse per test session: the segment-mix claims need the calibrated data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from recsight.engine import Engine
from recsight.warehouse.demo import DemoSpec, build_demo
from recsight.warehouse.executor import Warehouse
from semantic_layer.loader import load_model

END = date(2026, 11, 30)
SEED = 7


@pytest.fixture(scope="session")
def recsight_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the value-index cache out of the user's data directory."""
    home = tmp_path_factory.mktemp("recsight-home")
    before = os.environ.get("RECSIGHT_HOME")
    os.environ["RECSIGHT_HOME"] = str(home)
    yield home
    if before is None:
        os.environ.pop("RECSIGHT_HOME", None)
    else:
        os.environ["RECSIGHT_HOME"] = before


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(DemoSpec(path=target, scale=1.0, seed=SEED, end=END), None)
    return target


@pytest.fixture(scope="session")
def engine(warehouse_path: Path, recsight_home: Path) -> Iterator[Engine]:
    engine = Engine(load_model(), Warehouse(warehouse_path))
    yield engine
    engine.close()
