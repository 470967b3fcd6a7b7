"""Fixtures for the LLM tests: no LLM configured unless a test asks for the scripted one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from scripted_openai import KEY, MODEL, ScriptedServer

from recsight.planning.base import PlanContext
from recsight.planning.llm import planner as planner_module
from semantic_layer.loader import load_model
from semantic_layer.query import TimeRange

VALUES = {
    "algorithm": ["Collaborative Filtering", "Content-Based", "Neural Network"],
    "placement": ["Homepage Hero", "Product Page", "Cart", "Category Page", "Email"],
    "device": ["Mobile", "Desktop", "Tablet"],
    "customer_type": ["New", "Repeat"],
    "clv_tier": ["High-Value", "Low-Value"],
    "region": ["Northeast", "Midwest", "South", "West"],
    "category": ["Dresses", "Outerwear", "Accessories", "Shoes"],
    "brand": ["Nordwind", "Loom & Co", "Atelier Nine"],
}
AS_OF = date(2026, 12, 1)
DATA = TimeRange(start=date(2026, 9, 1), end=date(2026, 11, 30))


@pytest.fixture(autouse=True)
def no_llm_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A developer's own key or endpoint must never reach these tests."""
    for name in list(os.environ):
        if name.startswith(("RECSIGHT_LLM", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RECSIGHT_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(planner_module, "_known_modes", {})


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    running = ScriptedServer().start()
    yield running
    running.stop()


@pytest.fixture
def llm_config(tmp_path: Path) -> Path:
    """The LLM config file: fast retries, phrasing off unless a test turns it on."""
    path = tmp_path / "llm.toml"
    path.write_text("backoff_s = 0.01\nmax_retries = 2\nphrasing = false\n", encoding="utf-8")
    return path


@pytest.fixture
def llm(
    server: ScriptedServer, llm_config: Path, monkeypatch: pytest.MonkeyPatch
) -> ScriptedServer:
    """An LLM configured at the scripted server through the environment and a config file."""
    monkeypatch.setenv("RECSIGHT_LLM_CONFIG", str(llm_config))
    monkeypatch.setenv("RECSIGHT_LLM_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("RECSIGHT_LLM_MODEL", MODEL)
    monkeypatch.setenv("RECSIGHT_LLM_TIMEOUT", "5")
    return server


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small demo warehouse for every LLM test that runs real queries."""
    from recsight.warehouse.demo import DemoSpec, build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    return build_demo(DemoSpec(path=path, scale=0.05, seed=7, end=date(2026, 11, 30)), None)


@pytest.fixture
def context() -> PlanContext:
    return PlanContext(load_model(), VALUES, AS_OF, DATA)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The llama.cpp group takes minutes of CPU: it runs only when asked for with -m llm_local."""
    if "llm_local" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="slow llama.cpp server group; run it with -m llm_local")
    for item in items:
        if item.get_closest_marker("llm_local"):
            item.add_marker(skip)
