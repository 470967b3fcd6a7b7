"""Test support: running `recsight slack` as a separate process, as an operator would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fake_slack_api import BOT_TOKEN, SIGNING_SECRET

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-12-01"
READY = re.compile(r"listening for Slack requests at (\S+)")


@dataclass
class Bot:
    """The `recsight slack` process under test; its stderr is collected as it runs."""

    process: subprocess.Popen[str]
    url: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def log(self) -> str:
        return "".join(self.lines)


def bot_env(tmp: Path, api_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "RECSIGHT_"))}
    env.update(
        PYTHONPATH=str(REPO),
        RECSIGHT_HOME=str(tmp),
        SLACK_API_URL=api_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
    )
    env.update(extra)
    return env


def bot_command(warehouse: Path, *options: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "recsight.cli.main",
        "slack",
        "--warehouse",
        str(warehouse),
        "--as-of",
        AS_OF,
        *options,
    ]
