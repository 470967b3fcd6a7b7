"""Fixtures every test folder shares: the demo warehouses and the --update-golden flag.

A warehouse is built once per test session into a temporary folder (scale 1 takes seconds) and is
only read afterwards, so any test module may use it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

DEMO_END = date(2026, 11, 30)
DEMO_SEED = 7


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden files (compiled SQL) from the current output instead of comparing.",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def _build(folder: Path, scale: float) -> Path:
    from recsight.warehouse.demo import DemoSpec, build_demo

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"demo-scale-{scale:g}.duckdb"
    return Path(build_demo(DemoSpec(path=path, scale=scale, seed=DEMO_SEED, end=DEMO_END), None))


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scale-1 demo warehouse (about 3.3M impressions) ending 2026-11-30, seed 7."""
    return _build(tmp_path_factory.mktemp("demo-warehouse"), 1.0)


@pytest.fixture(scope="session")
def small_demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scale-0.1 demo warehouse for front-end tests that need rows, not calibrated numbers."""
    return _build(tmp_path_factory.mktemp("small-demo-warehouse"), 0.1)


REPO = Path(__file__).resolve().parent.parent


class Cli:
    """Runs the real `recsight` command line in a subprocess, with its home in a temp folder."""

    def __init__(self, home: Path) -> None:
        self.home = home

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECSIGHT_")}
        env.update(
            RECSIGHT_HOME=str(self.home),
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
            COLUMNS="160",
            NO_COLOR="1",
        )
        env.update(extra)
        return env

    def __call__(
        self, *args: str, timeout: float = 120, **extra_env: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "recsight.cli.main", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.env(**extra_env),
            cwd=self.home,
            stdin=subprocess.DEVNULL,
        )


@pytest.fixture()
def recsight_cli(tmp_path: Path) -> Cli:
    """`recsight_cli("query", "-m", "ctr")` -> CompletedProcess (stdout, stderr, returncode)."""
    home = tmp_path / "recsight-home"
    home.mkdir()
    return Cli(home)
