"""`recsight query --range` reads a time phrase against --as-of, and refuses what it can't read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def query(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "recsight.cli.main", "query", "-m", "revenue", *args]
    env = {"RECSIGHT_HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("last 30 days", "2026-11-01", "2026-12-01"),
        ("last month", "2026-11-01", "2026-12-01"),
        ("in October", "2026-10-01", "2026-11-01"),
        ("since Nov 3", "2026-11-03", "2026-12-01"),
    ],
)
def test_a_time_phrase_becomes_the_range_in_the_sql(
    phrase: str, start: str, end: str, tmp_path: Path
) -> None:
    done = query("--range", phrase, "--as-of", "2026-12-01", "--dry-run", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"'{start} 00:00:00'" in done.stdout
    assert f"'{end} 00:00:00'" in done.stdout


def test_an_unreadable_phrase_is_one_clear_line(tmp_path: Path) -> None:
    done = query("--range", "whenever", "--dry-run", home=tmp_path)
    assert done.returncode == 2
    assert "--range 'whenever' is not a time range" in done.stderr
    assert "Traceback" not in done.stderr


def test_range_and_from_to_together_are_refused(tmp_path: Path) -> None:
    done = query(
        "--range",
        "last month",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-02",
        "--dry-run",
        home=tmp_path,
    )
    assert done.returncode == 2
    assert "either --range or --from/--to" in done.stderr
