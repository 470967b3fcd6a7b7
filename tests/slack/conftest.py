"""One demo warehouse, one fake Slack and one bot process (HTTP mode) shared by the Slack tests."""

from __future__ import annotations

import queue
import subprocess
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fake_slack_api import FakeSlack
from slack_process import READY, Bot, bot_command, bot_env
from slack_requests import SlackSender


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from recsight.warehouse.demo import DemoSpec, build_demo

    path = tmp_path_factory.mktemp("slack-warehouse") / "demo.duckdb"
    return build_demo(DemoSpec(path=path, scale=0.05, seed=7, end=date(2026, 11, 30)), None)


@pytest.fixture(scope="module")
def slack_api() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def bot(
    warehouse: Path, slack_api: FakeSlack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bot]:
    env = bot_env(tmp_path_factory.mktemp("slack-home"), slack_api.url, RECSIGHT_LOG="DEBUG")
    process = subprocess.Popen(
        bot_command(warehouse, "--mode", "http", "--port", "0"),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    running = Bot(process)
    ready: queue.Queue[str] = queue.Queue()

    def collect() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            running.lines.append(line)
            if found := READY.search(line):
                ready.put(found.group(1))
        ready.put("")

    threading.Thread(target=collect, daemon=True).start()
    try:
        running.url = ready.get(timeout=120)
    except queue.Empty:
        running.url = ""
    if not running.url:
        process.kill()
        pytest.fail(f"recsight slack did not start:\n{running.log}")
    yield running
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def slack(bot: Bot) -> SlackSender:
    return SlackSender(bot.url)
