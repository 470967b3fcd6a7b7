"""The LLM may phrase the explanation from the facts the explainer computed; a number that is not
among them gets the phrasing rejected and the built-in explanation kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from scripted_openai import Request, ScriptedServer, Step, json_reply, reply

from recsight.answering.answer import Answer
from recsight.answering.ask import ask
from recsight.engine import Engine
from recsight.warehouse.executor import Warehouse
from semantic_layer.loader import load_model

AS_OF = date(2026, 12, 1)
QUESTION = "CTR by algorithm"


@pytest.fixture
def engine(warehouse: Path) -> Iterator[Engine]:
    opened = Engine(load_model(), Warehouse(warehouse))
    yield opened
    opened.close()


@pytest.fixture
def phrasing_llm(llm: ScriptedServer, llm_config: Path) -> ScriptedServer:
    llm_config.write_text("backoff_s = 0.01\nphrasing = true\n", encoding="utf-8")
    return llm


@pytest.fixture
def built_in(engine: Engine) -> Answer:
    return ask(engine, QUESTION, as_of=AS_OF, planner=_builtin())


def _builtin() -> object:
    from recsight.planning.builtin import BuiltinPlanner

    return BuiltinPlanner()


def _facts(request: Request) -> dict[str, object]:
    prompt = request.messages[-1]["content"]
    start = prompt.index("Facts (JSON):") + len("Facts (JSON):")
    return dict(json.loads(prompt[start : prompt.index("\nExplanation:")]))


def test_a_phrasing_that_uses_only_computed_numbers_replaces_the_explanation(
    phrasing_llm: ScriptedServer, engine: Engine, built_in: Answer
) -> None:
    def grounded(request: Request) -> Step:
        facts = _facts(request)
        leader = float(facts["leader_value"])  # type: ignore[arg-type]
        runner_up = float(facts["runner_up_value"])  # type: ignore[arg-type]
        text = (
            f"{facts['leader']} clearly leads on click-through at {leader:.2%}, ahead of "
            f"{facts['runner_up']} at {runner_up:.2%}, and the lead holds in every segment."
        )
        return json_reply({"sentences": [text]})

    phrasing_llm.script(grounded)

    answer = ask(engine, QUESTION, as_of=AS_OF)

    assert answer.planner == "builtin"  # planning stayed local; only phrasing used the LLM
    assert answer.explanation != built_in.explanation
    assert answer.explanation[0].startswith("Neural Network clearly leads on click-through at")
    assert answer.usage is not None and answer.usage["requests"] == 1
    assert answer.facts == built_in.facts


def test_the_facts_and_the_built_in_text_are_what_the_phrasing_request_carries(
    phrasing_llm: ScriptedServer, engine: Engine, built_in: Answer
) -> None:
    phrasing_llm.script(json_reply({"sentences": []}))

    ask(engine, QUESTION, as_of=AS_OF)

    prompt = phrasing_llm.chats[0].messages[-1]["content"]
    assert _facts(phrasing_llm.chats[0]) == json.loads(json.dumps(built_in.facts))
    assert built_in.explanation[0] in prompt


@pytest.mark.parametrize(
    ("sentence", "stray"),
    [
        ("Neural Network leads on CTR at 3.50%, far above the 2.91% of the rest.", "2.91%"),
        ("Neural Network's CTR is 6 times that of Content-Based, at 3.50% against 2.00%.", "6"),
    ],
    ids=["an invented rate", "an invented multiple"],
)
def test_a_phrasing_with_a_number_not_in_the_facts_is_rejected_for_the_built_in_text(
    sentence: str,
    stray: str,
    phrasing_llm: ScriptedServer,
    engine: Engine,
    built_in: Answer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    phrasing_llm.script(json_reply({"sentences": [sentence]}))

    answer = ask(engine, QUESTION, as_of=AS_OF)

    assert answer.explanation == built_in.explanation
    assert f"phrasing rejected: {stray} not among the computed facts" in caplog.text
    assert answer.usage is not None and answer.usage["requests"] == 1


@pytest.mark.parametrize(
    "step",
    [
        json_reply({"sentences": ["Neural Network wins."]}),
        reply("not json at all"),
        json_reply({"text": "x"}),
    ],
    ids=["no numbers", "not JSON", "wrong shape"],
)
def test_a_phrasing_reply_that_is_not_an_explanation_keeps_the_built_in_text(
    step: Step, phrasing_llm: ScriptedServer, engine: Engine, built_in: Answer
) -> None:
    phrasing_llm.script(step)

    assert ask(engine, QUESTION, as_of=AS_OF).explanation == built_in.explanation


def test_a_failing_endpoint_during_phrasing_still_gives_the_answer(
    phrasing_llm: ScriptedServer, engine: Engine, built_in: Answer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")

    answer = ask(engine, QUESTION, as_of=AS_OF)

    assert answer.explanation == built_in.explanation and answer.rows == built_in.rows
