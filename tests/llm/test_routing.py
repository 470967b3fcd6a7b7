"""Routing on a real demo warehouse: the built-in planner answers what it reads with confidence,
the LLM takes what it refuses or reads shakily, and with no LLM configured nothing is sent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from scripted_openai import ScriptedServer, error, tool

from recsight.answering.ask import ask
from recsight.engine import Engine
from recsight.warehouse.executor import Warehouse
from semantic_layer.errors import EndpointError, PlanningError
from semantic_layer.loader import load_model

AS_OF = date(2026, 12, 1)
CONFIDENT = "CTR by algorithm"
REFUSED = "do folks on handhelds engage more than on laptops"
SHAKY = "what's the click-through for each recommender among big spenders"
PHONES = {
    "metrics": ["clicks"],
    "dimensions": ["device"],
    "filters": [{"dimension": "device", "operator": "in", "values": ["Mobile", "Desktop"]}],
}
BIG_SPENDERS = {
    "metrics": ["ctr"],
    "dimensions": ["algorithm"],
    "filters": [{"dimension": "clv_tier", "values": ["High-Value"]}],
}


@pytest.fixture
def engine(warehouse: Path) -> Iterator[Engine]:
    opened = Engine(load_model(), Warehouse(warehouse))
    yield opened
    opened.close()


def test_a_question_read_with_confidence_never_reaches_the_llm(
    llm: ScriptedServer, engine: Engine
) -> None:
    answer = ask(engine, CONFIDENT, as_of=AS_OF)

    assert answer.planner == "builtin" and answer.usage is None
    assert llm.requests == []


def test_a_question_the_built_in_planner_refuses_is_answered_by_the_llm(
    llm: ScriptedServer, engine: Engine
) -> None:
    llm.script(tool("submit_query", PHONES))

    answer = ask(engine, REFUSED, as_of=AS_OF)

    assert answer.planner == "llm"
    assert sorted(row[0] for row in answer.rows) == ["Desktop", "Mobile"]
    assert answer.usage is not None and answer.usage["requests"] == 1
    assert any("Read by the LLM (scripted-model)" in c for c in answer.caveats)


def test_a_shaky_built_in_reading_is_handed_to_the_llm(llm: ScriptedServer, engine: Engine) -> None:
    llm.script(tool("submit_query", BIG_SPENDERS))

    answer = ask(engine, SHAKY, as_of=AS_OF)

    assert answer.planner == "llm"
    assert answer.query is not None and answer.query.filters[0].values == ["High-Value"]


def test_when_the_llm_fails_a_shaky_reading_is_answered_with_a_note_saying_so(
    llm: ScriptedServer, engine: Engine
) -> None:
    llm.script(*[error(503, "overloaded")] * 3)

    answer = ask(engine, SHAKY, as_of=AS_OF)

    assert answer.planner == "builtin"
    assert any("The LLM could not be used" in c and "HTTP 503" in c for c in answer.caveats)


def test_when_the_llm_cannot_read_a_shaky_question_the_built_in_reading_stands_with_a_note(
    llm: ScriptedServer, engine: Engine
) -> None:
    llm.script(tool("cannot_answer", {"reason": "unclear who big spenders are"}))

    answer = ask(engine, SHAKY, as_of=AS_OF)

    assert answer.planner == "builtin"
    assert any("The LLM could not read the question either" in c for c in answer.caveats)


@pytest.mark.parametrize(
    "question",
    [
        "delete all clicks from October",
        "profit by supplier",
        "what's the weather",
        "  ",
        "ctr " * 300,
    ],
    ids=["a change to data", "data the model lacks", "weather", "empty", "too long"],
)
def test_a_refusal_an_llm_cannot_fix_is_final_and_nothing_is_sent(
    question: str, llm: ScriptedServer, engine: Engine
) -> None:
    llm.script(tool("submit_query", {"metrics": ["clicks"]}))

    with pytest.raises(PlanningError):
        ask(engine, question, as_of=AS_OF)

    assert llm.requests == []


def test_when_both_planners_refuse_the_built_in_refusal_leads(
    llm: ScriptedServer, engine: Engine
) -> None:
    llm.script(tool("cannot_answer", {"reason": "nothing about tea"}))

    with pytest.raises(PlanningError) as refusal:
        ask(engine, "how many folks drink tea", as_of=AS_OF)

    message = str(refusal.value)
    assert message.startswith("I couldn't map 'folks'")
    assert message.endswith("(the LLM says: nothing about tea).")


def test_a_wrong_key_is_one_clear_error_that_also_says_what_the_built_in_planner_found(
    llm: ScriptedServer, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")

    with pytest.raises(EndpointError) as failure:
        ask(engine, REFUSED, as_of=AS_OF)

    message = str(failure.value)
    assert "refused the API key (HTTP 401)" in message and "'folks'" in message


def test_with_no_llm_configured_no_request_is_ever_made(
    server: ScriptedServer, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Everything but a key or our base URL: the SDK's own variable points at the server.
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("RECSIGHT_LLM_MODEL", "scripted-model")
    server.script(tool("submit_query", PHONES))

    assert ask(engine, CONFIDENT, as_of=AS_OF).planner == "builtin"
    with pytest.raises(PlanningError):
        ask(engine, REFUSED, as_of=AS_OF)
    assert ask(engine, SHAKY, as_of=AS_OF).planner == "builtin"  # shaky, but nobody else to ask

    assert server.requests == []


def test_model_sql_is_answered_with_the_sql_shown_and_labelled(
    llm: ScriptedServer, engine: Engine
) -> None:
    sql = (
        "SELECT CAST(click_ts AS DATE) AS day, COUNT(*) AS clicks, "
        "SUM(COUNT(*)) OVER (ORDER BY CAST(click_ts AS DATE)) AS running_clicks "
        "FROM clicks GROUP BY 1 ORDER BY 1"
    )
    llm.script(tool("submit_sql", {"sql": sql, "reason": "a running total needs a window"}))

    answer = ask(engine, "running total of clicks per day", as_of=AS_OF)

    assert answer.planner == "llm-sql" and answer.query is None
    assert "OVER" in answer.sql.upper() and "LIMIT" in answer.sql.upper()
    assert answer.columns == ["day", "clicks", "running_clicks"]
    assert len(answer.rows) == 91 and answer.rows[-1][2] == sum(r[1] for r in answer.rows)
    assert any("SQL that the LLM" in c for c in answer.caveats)
    assert answer.kinds == {"day": "dimension", "clicks": "metric", "running_clicks": "metric"}
    assert answer.chart is not None and answer.chart["mark"]["type"] == "line"
