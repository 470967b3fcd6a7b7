"""Model-written SQL: used only when it passes the SQL guard, sent back when it doesn't, and
labelled in the plan as model SQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from scripted_openai import ScriptedServer, tool

from recsight.planning.base import PlanContext
from recsight.planning.llm.config import load_settings
from recsight.planning.llm.planner import LlmPlanner
from semantic_layer.errors import PlanningError

QUESTION = "running total of clicks per day"
RUNNING = (
    "SELECT CAST(click_ts AS DATE) AS day, COUNT(*) AS clicks, "
    "SUM(COUNT(*)) OVER (ORDER BY CAST(click_ts AS DATE)) AS running_clicks "
    "FROM clicks GROUP BY 1 ORDER BY 1"
)


def planner() -> LlmPlanner:
    settings = load_settings()
    assert settings is not None
    return LlmPlanner(settings)


def test_sql_that_passes_the_guard_becomes_a_plan_marked_as_model_sql(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(tool("submit_sql", {"sql": RUNNING, "reason": "a running total is a window"}))

    plan = planner().plan(QUESTION, context)

    assert plan.planner == "llm-sql" and plan.query is None
    assert plan.sql is not None and "OVER" in plan.sql.upper() and "LIMIT" in plan.sql.upper()
    assert any("SQL that the LLM" in note for note in plan.notes)
    assert "Why SQL: a running total is a window" in plan.notes


REFUSED = [
    ("a write", "DELETE FROM clicks", "Only SELECT"),
    ("a file read", "SELECT * FROM read_csv('/etc/passwd')", "read_csv"),
    ("a function off the allow-list", "SELECT * FROM duckdb_settings()", "duckdb_settings"),
    ("a table outside the model", "SELECT * FROM secrets", "secrets"),
    ("two statements", "SELECT 1; SELECT 2", "one statement"),
]


@pytest.mark.parametrize(("case", "sql", "says"), REFUSED, ids=[c for c, _, _ in REFUSED])
def test_sql_the_guard_refuses_goes_back_to_the_model_and_the_repair_is_used(
    case: str, sql: str, says: str, llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(
        tool("submit_sql", {"sql": sql, "reason": "because"}),
        tool("submit_sql", {"sql": RUNNING, "reason": "a window"}),
    )

    plan = planner().plan(QUESTION, context)

    assert plan.planner == "llm-sql"
    feedback = llm.chats[1].messages[-1]["content"]
    assert feedback.startswith("That SQL was refused:") and says.lower() in feedback.lower()


def test_sql_refused_every_round_ends_in_a_refusal_and_never_in_a_plan(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(*[tool("submit_sql", {"sql": "DROP TABLE clicks", "reason": "x"})] * 3)

    with pytest.raises(PlanningError) as refusal:
        planner().plan(QUESTION, context)

    assert "did not validate after 3 attempts" in str(refusal.value)


def test_with_the_sql_fallback_off_no_sql_tool_is_offered_and_sql_is_not_accepted(
    llm: ScriptedServer, context: PlanContext, llm_config: Path
) -> None:
    llm_config.write_text("sql_fallback = false\nbackoff_s = 0.01\n", encoding="utf-8")
    llm.script(
        tool("submit_sql", {"sql": RUNNING, "reason": "window"}),
        tool("submit_query", {"metrics": ["clicks"], "dimensions": ["date:day"]}),
    )

    plan = planner().plan(QUESTION, context)

    assert plan.planner == "llm"
    names = [t["function"]["name"] for t in llm.chats[0].body["tools"]]
    assert "submit_sql" not in names
    assert "SQL is not accepted here" in llm.chats[1].messages[-1]["content"]
