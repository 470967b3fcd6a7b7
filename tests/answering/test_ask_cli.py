"""`recsight ask` as a user runs it: a real process, real flags, real exit codes."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "Which algorithm has the best CTR for high-value customers?"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("recsight.planning.builtin") is None,
    reason="recsight ask needs the built-in planner (recsight/planning/builtin.py), not landed yet",
)


def recsight(*args: str, warehouse: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RECSIGHT_HOME": str(home),
        "RECSIGHT_WAREHOUSE": str(warehouse),
        "COLUMNS": "100",
    }
    return subprocess.run(
        [sys.executable, "-m", "recsight.cli.main", "ask", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_json_output_holds_the_question_query_sql_rows_and_explanation(
    warehouse_path: Path, recsight_home: Path
) -> None:
    done = recsight(
        QUESTION,
        "--format",
        "json",
        "--as-of",
        "2026-12-01",
        warehouse=warehouse_path,
        home=recsight_home,
    )

    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"question", "query", "sql", "columns", "rows", "explanation"} <= set(data)
    assert data["question"] == QUESTION
    assert data["query"]["metrics"] == ["ctr"]
    assert data["columns"] == ["algorithm", "ctr"]
    assert data["rows"][0][0] == "Neural Network"
    assert data["sql"].startswith("WITH")
    assert any("statistically significant" in s for s in data["explanation"])


def test_text_output_restates_the_question_and_shows_the_sql_on_request(
    warehouse_path: Path, recsight_home: Path
) -> None:
    done = recsight(
        "ctr by algorithm",
        "--show-sql",
        "--as-of",
        "2026-12-01",
        warehouse=warehouse_path,
        home=recsight_home,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("CTR by algorithm")
    assert "Neural Network leads on CTR" in done.stdout
    assert "Answered by the built-in planner" in done.stdout
    assert "FROM impressions" in done.stdout


def test_markdown_output_is_a_table_with_bullets(warehouse_path: Path, recsight_home: Path) -> None:
    done = recsight(
        "ctr by algorithm", "--format", "markdown", warehouse=warehouse_path, home=recsight_home
    )

    assert done.returncode == 0, done.stderr
    assert "| algorithm | ctr |" in done.stdout
    assert "\n- Neural Network leads on CTR" in done.stdout


def test_the_chart_flag_writes_a_png(
    warehouse_path: Path, recsight_home: Path, tmp_path: Path
) -> None:
    target = tmp_path / "ctr.png"

    done = recsight(
        "weekly ctr by algorithm",
        "--chart",
        str(target),
        warehouse=warehouse_path,
        home=recsight_home,
    )

    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert f"Chart written to {target}" in done.stderr


def test_a_refusal_is_one_clear_block_and_exit_code_2(
    warehouse_path: Path, recsight_home: Path
) -> None:
    done = recsight("what's the weather in Paris", warehouse=warehouse_path, home=recsight_home)

    assert done.returncode == 2
    assert "Can't answer that" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stdout == ""


def test_a_refusal_in_json_names_the_problem_for_programs(
    warehouse_path: Path, recsight_home: Path
) -> None:
    done = recsight(
        "profit by supplier", "--format", "json", warehouse=warehouse_path, home=recsight_home
    )

    assert done.returncode == 2
    refused = json.loads(done.stdout)["refused"]
    assert "profit" in refused["error"]
    assert refused["hint"]


def test_a_bad_as_of_date_is_one_line_not_a_traceback(
    warehouse_path: Path, recsight_home: Path
) -> None:
    done = recsight("ctr", "--as-of", "yesterday", warehouse=warehouse_path, home=recsight_home)

    assert done.returncode == 2
    assert "--as-of 'yesterday' is not a date" in done.stderr
    assert "Traceback" not in done.stderr
