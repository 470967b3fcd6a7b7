"""One pinned eval warehouse for the whole test session, kept in pytest's cache between runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recsight.engine import Engine
from recsight.evaluation import pinned


@pytest.fixture(scope="session")
def eval_warehouse(request: pytest.FixtureRequest) -> Path:
    """The demo at the suite's pin (scale 1, seed 7, end 2026-11-30), built at most once."""
    folder = Path(request.config.cache.mkdir("recsight-eval"))
    path = folder / pinned.FILE_NAME
    if path.is_file() and not pinned.matches_pin(path):
        path.unlink()
    return pinned.ensure_warehouse(path).path


@pytest.fixture(scope="session")
def recsight_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep recsight's caches (the value index) out of the user's data directory."""
    home = tmp_path_factory.mktemp("recsight-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RECSIGHT_HOME", str(home))
        yield home


@pytest.fixture(scope="session")
def eval_engine(eval_warehouse: Path, recsight_home: Path) -> Iterator[Engine]:
    engine = Engine.open(str(eval_warehouse))
    yield engine
    engine.close()
