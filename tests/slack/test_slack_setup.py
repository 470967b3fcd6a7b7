"""Starting `recsight slack`: a missing or refused token is one clear line, never the token."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fake_slack_api import BOT_TOKEN, FakeSlack
from slack_process import bot_command, bot_env


def run_bot(
    warehouse: Path, env: dict[str, str], *options: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        bot_command(warehouse, *options),
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("mode", "unset", "says"),
    [
        ("http", "SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN is not set"),
        ("http", "SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET is not set"),
        ("socket", "SLACK_APP_TOKEN", "SLACK_APP_TOKEN is not set"),
    ],
)
def test_a_missing_token_is_named_with_where_to_find_it(
    warehouse: Path, tmp_path: Path, mode: str, unset: str, says: str
) -> None:
    env = bot_env(tmp_path, "http://127.0.0.1:9/api/", SLACK_APP_TOKEN="xapp-1-test")
    del env[unset]
    done = run_bot(warehouse, env, "--mode", mode)
    assert done.returncode == 2
    assert says in done.stderr and "Copy it from your Slack app's page" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_token_of_the_wrong_kind_is_refused_without_echoing_it(
    warehouse: Path, tmp_path: Path
) -> None:
    env = bot_env(tmp_path, "http://127.0.0.1:9/api/", SLACK_APP_TOKEN=BOT_TOKEN)
    done = run_bot(warehouse, env, "--mode", "socket")
    assert done.returncode == 2
    assert "SLACK_APP_TOKEN does not look right: it should start with 'xapp-'" in done.stderr
    assert BOT_TOKEN not in done.stderr + done.stdout


def test_a_bot_token_slack_refuses_stops_the_bot_with_one_line(
    warehouse: Path, tmp_path: Path
) -> None:
    fake = FakeSlack().start()
    try:
        env = bot_env(tmp_path, fake.url, SLACK_BOT_TOKEN="xoxb-revoked-0000")
        done = run_bot(warehouse, env, "--mode", "http", "--port", "0")
    finally:
        fake.stop()
    assert done.returncode == 2
    assert "Slack refused SLACK_BOT_TOKEN" in done.stderr
    assert "xoxb-revoked-0000" not in done.stderr
    assert [c.method for c in fake.calls] == ["auth.test"]


def test_an_unreachable_slack_api_is_one_clear_line(warehouse: Path, tmp_path: Path) -> None:
    done = run_bot(warehouse, bot_env(tmp_path, "http://127.0.0.1:9/api/"), "--mode", "http")
    assert done.returncode == 2
    assert "Could not reach the Slack API at http://127.0.0.1:9/api/" in done.stderr
    assert "Traceback" not in done.stderr
