"""One small demo warehouse for every server test, and a home directory per module."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse at scale 0.05, seed 7, ending 2026-11-30.

    RECSIGHT_TEST_WAREHOUSE may name one built the same way, to skip building it.
    """
    prebuilt = os.environ.get("RECSIGHT_TEST_WAREHOUSE")
    if prebuilt:
        return Path(prebuilt)
    from recsight.warehouse.demo import DemoSpec, build_demo

    path = tmp_path_factory.mktemp("warehouse") / "demo.duckdb"
    spec = DemoSpec(path=path, scale=0.05, seed=7, end=date(2026, 11, 30))
    return Path(build_demo(spec, None))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """RECSIGHT_HOME for the server: its value index cache stays out of the user's files."""
    return tmp_path_factory.mktemp("home")
