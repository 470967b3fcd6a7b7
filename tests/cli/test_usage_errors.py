"""A bad option or command gets click's usage message and exit code 2, never "internal error"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CASES = [
    (["ask", "ctr", "--format", "foo"], "Invalid value for '--format'"),
    (["query", "--metrics", "ctr", "--limit", "abc"], "Invalid value for '--limit'"),
    (["nosuch"], "No such command 'nosuch'"),
]


@pytest.mark.parametrize(("args", "says"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_a_usage_error_is_a_usage_message(args: list[str], says: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "recsight.cli.main", *args],
        capture_output=True,
        text=True,
        env={"RECSIGHT_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert done.returncode == 2
    assert says in done.stderr
    assert "Internal error" not in done.stderr
    assert "Traceback" not in done.stderr
