"""`recsight ask --planner ...` and `recsight eval --planner llm` as a user runs them: a real
process, real HTTP to the scripted Chat Completions server, output read from stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from scripted_openai import KEY, MODEL, Request, ScriptedServer, Step, tool

ROOT = Path(__file__).resolve().parents[2]
REFUSED = "do folks on handhelds engage more than on laptops"
PHONES = {"metrics": ["clicks"], "dimensions": ["device"]}


def recsight(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recsight.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture
def env(tmp_path: Path, warehouse: Path) -> dict[str, str]:
    """The process environment with no LLM configured: no key, no base URL."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("RECSIGHT_", "OPENAI_"))}
    clean.update(
        PYTHONPATH=str(ROOT),
        RECSIGHT_HOME=str(tmp_path / "home"),
        RECSIGHT_WAREHOUSE=str(warehouse),
        COLUMNS="120",
    )
    return clean


@pytest.fixture
def llm_env(env: dict[str, str], server: ScriptedServer, llm_config: Path) -> dict[str, str]:
    return {
        **env,
        "RECSIGHT_LLM_BASE_URL": server.url,
        "OPENAI_API_KEY": KEY,
        "RECSIGHT_LLM_MODEL": MODEL,
        "RECSIGHT_LLM_CONFIG": str(llm_config),
    }


def test_ask_with_the_llm_prints_the_answer_and_its_token_usage_as_json(
    server: ScriptedServer, llm_env: dict[str, str]
) -> None:
    server.script(tool("submit_query", PHONES))

    done = recsight("ask", REFUSED, "--as-of", "2026-12-01", "--format", "json", env=llm_env)

    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["planner"] == "llm"
    assert answer["usage"] == {
        "prompt_tokens": 100,
        "completion_tokens": 20,
        "total_tokens": 120,
        "requests": 1,
    }
    assert answer["columns"] == ["device", "clicks"] and len(answer["rows"]) == 3


def test_an_answer_from_model_sql_shows_the_sql_and_says_where_it_came_from(
    server: ScriptedServer, llm_env: dict[str, str]
) -> None:
    sql = (
        "SELECT CAST(click_ts AS DATE) AS day, COUNT(*) AS clicks, "
        "SUM(COUNT(*)) OVER (ORDER BY CAST(click_ts AS DATE)) AS running_clicks "
        "FROM clicks GROUP BY 1 ORDER BY 1"
    )
    server.script(tool("submit_sql", {"sql": sql, "reason": "a running total needs a window"}))

    done = recsight(
        "ask", "running total of clicks per day", "--planner", "llm", "--show-sql", env=llm_env
    )

    assert done.returncode == 0, done.stderr
    assert "SQL written by the LLM" in done.stdout and "running_clicks" in done.stdout
    assert "SQL that the LLM (scripted-model) wrote" in " ".join(done.stdout.split())
    assert "OVER" in done.stdout and "LIMIT" in done.stdout


def test_ask_with_a_wrong_key_prints_one_clear_line_and_exits_2(
    server: ScriptedServer, llm_env: dict[str, str]
) -> None:
    done = recsight("ask", REFUSED, "--planner", "llm", env={**llm_env, "OPENAI_API_KEY": "sk-x"})

    assert done.returncode == 2
    assert "refused the API key (HTTP 401)" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_ask_with_planner_builtin_never_calls_the_configured_llm(
    server: ScriptedServer, llm_env: dict[str, str]
) -> None:
    server.script(tool("submit_query", PHONES))

    done = recsight("ask", REFUSED, "--planner", "builtin", env=llm_env)

    assert done.returncode == 2 and "Can't answer that" in done.stderr
    assert server.requests == []


def test_ask_with_planner_llm_and_no_llm_configured_says_how_to_configure_one(
    env: dict[str, str],
) -> None:
    done = recsight("ask", REFUSED, "--planner", "llm", env=env)

    assert done.returncode == 2
    assert "no LLM is configured" in done.stderr and "RECSIGHT_LLM_BASE_URL" in done.stderr
    assert "Traceback" not in done.stderr


def test_ask_with_no_llm_configured_sends_nothing_anywhere(
    server: ScriptedServer, env: dict[str, str]
) -> None:
    server.script(tool("submit_query", PHONES))
    sdk_pointing_at_server = {**env, "OPENAI_BASE_URL": server.url, "RECSIGHT_LLM_MODEL": MODEL}

    refused = recsight("ask", REFUSED, env=sdk_pointing_at_server)
    answered = recsight("ask", "CTR by algorithm", "--format", "json", env=sdk_pointing_at_server)

    assert refused.returncode == 2 and answered.returncode == 0
    assert json.loads(answered.stdout)["usage"] is None
    assert server.requests == []


def test_eval_with_the_llm_planner_reports_accuracy_latency_and_tokens_per_question(
    server: ScriptedServer, llm_env: dict[str, str], tmp_path: Path
) -> None:
    suite = tmp_path / "suite.yaml"
    suite.write_text(
        "- {id: q-1, category: metrics, question: 'total clicks on recs', "
        "gold: {metrics: [clicks]}, ordered: false, as_of: 2026-12-01}\n"
        "- {id: q-2, category: refusals, refuse: true, as_of: 2026-12-01, "
        "question: 'What is our NPS?'}\n",
        encoding="utf-8",
    )
    server.script(_by_question, _by_question)

    done = recsight(
        "eval", "--planner", "llm", "--suite", str(suite), "--format", "json",
        "--warehouse", llm_env["RECSIGHT_WAREHOUSE"], env=llm_env,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    questions = {q["id"]: q for q in report["questions"]}
    assert questions["q-1"]["usage"]["total_tokens"] == 120
    assert report["overall"]["execution_accuracy"] == 1.0
    assert report["overall"]["refusal_accuracy"] == 1.0


def _by_question(request: Request) -> Step:
    """Reply as a sensible model would, whichever of the suite's questions arrives first."""
    asked: Any = request.messages[-1]["content"]
    if "NPS" in asked:
        return tool("cannot_answer", {"reason": "no survey data"})
    return tool("submit_query", {"metrics": ["clicks"]})
