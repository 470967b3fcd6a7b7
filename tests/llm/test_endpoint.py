"""How the planner copes with the endpoint itself: slow, rate-limited, failing, unreachable,
refusing the key, missing the model, or sending something that is not a completion."""

from __future__ import annotations

import socket

import pytest
from scripted_openai import ScriptedServer, Step, error, tool

from recsight.planning.base import PlanContext
from recsight.planning.llm.config import load_settings
from recsight.planning.llm.planner import LlmPlanner
from semantic_layer.errors import EndpointError

QUESTION = "which recommender do big spenders click most"
GOOD = {"metrics": ["ctr"], "dimensions": ["algorithm"]}


def plan(context: PlanContext) -> object:
    settings = load_settings()
    assert settings is not None
    return LlmPlanner(settings).plan(QUESTION, context)


def test_a_rate_limit_is_retried_after_a_backoff_and_then_answered(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(error(429, "Rate limit reached", **{"retry-after": "0"}), tool("submit_query", GOOD))

    plan(context)

    assert len(llm.chats) == 2


def test_server_errors_are_retried_and_then_reported_with_the_attempt_count(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(*[error(500, "upstream model crashed")] * 5)

    with pytest.raises(EndpointError) as failure:
        plan(context)

    assert len(llm.chats) == 3  # max_retries = 2 in the test config
    message = str(failure.value)
    assert "keeps failing (HTTP 500 on all 3 attempts): upstream model crashed" in message
    assert "Traceback" not in message


def test_a_slow_endpoint_times_out_with_advice_on_the_timeout_setting(
    llm: ScriptedServer, context: PlanContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECSIGHT_LLM_TIMEOUT", "0.3")
    slow = tool("submit_query", GOOD)
    slow.delay_s = 2.0
    llm.script(slow)

    with pytest.raises(EndpointError) as failure:
        plan(context)

    assert f"{llm.url} did not answer within 0.3 s" in str(failure.value)
    assert "RECSIGHT_LLM_TIMEOUT" in str(failure.value)
    assert len(llm.chats) == 1  # a timeout is not retried: it would only double the wait


def test_a_wrong_key_is_reported_as_such(
    llm: ScriptedServer, context: PlanContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
    llm.script(tool("submit_query", GOOD))

    with pytest.raises(EndpointError) as failure:
        plan(context)

    message = str(failure.value)
    assert "refused the API key (HTTP 401)" in message and "OPENAI_API_KEY" in message
    assert "sk-wrong" not in message


def test_a_missing_model_is_reported_with_the_models_the_endpoint_serves(
    llm: ScriptedServer, context: PlanContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECSIGHT_LLM_MODEL", "qwen2.5:7b")
    llm.served_models = ["llama3.1:8b", "qwen2.5:7b-instruct"]
    llm.script(error(404, "model 'qwen2.5:7b' not found"))

    with pytest.raises(EndpointError) as failure:
        plan(context)

    message = str(failure.value)
    assert f"Model 'qwen2.5:7b' is not served at {llm.url}" in message
    assert "Did you mean 'qwen2.5:7b-instruct'?" in message
    assert "RECSIGHT_LLM_MODEL" in message


def test_an_unreachable_endpoint_says_where_the_url_came_from(
    llm: ScriptedServer, context: PlanContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("RECSIGHT_LLM_BASE_URL", f"http://127.0.0.1:{port}/v1")

    with pytest.raises(EndpointError) as failure:
        plan(context)

    message = str(failure.value)
    assert f"Could not reach the LLM endpoint at http://127.0.0.1:{port}/v1" in message
    assert "RECSIGHT_LLM_BASE_URL" in message


@pytest.mark.parametrize(
    "body",
    ["<html>502 Bad Gateway</html>", {"id": "x", "object": "chat.completion", "choices": []}],
    ids=["not JSON", "no choices"],
)
def test_a_reply_that_is_not_a_chat_completion_is_an_endpoint_error(
    body: object, llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(Step(body=body))

    with pytest.raises(EndpointError) as failure:
        plan(context)

    assert "Chat Completions" in str(failure.value)


def test_a_server_refusing_max_tokens_by_name_gets_max_completion_tokens_instead(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(
        error(400, "Unsupported parameter: 'max_tokens' is not supported with this model."),
        tool("submit_query", GOOD),
    )

    plan(context)

    retried = llm.chats[1].body
    assert "max_tokens" not in retried and retried["max_completion_tokens"] == 1024
