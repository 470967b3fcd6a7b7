"""The LLM planner, driven by a scripted Chat Completions server over real HTTP: the model's query
is validated, problems go back to it with the valid options, and rounds are bounded."""

from __future__ import annotations

import json

import pytest
from scripted_openai import ScriptedServer, error, json_reply, reply, tool

from recsight.planning.base import PlanContext
from recsight.planning.llm.config import load_settings
from recsight.planning.llm.planner import LlmPlanner
from semantic_layer.errors import PlanningError

QUESTION = "what's the click-through for each recommender among big spenders"
GOOD = {
    "metrics": ["ctr"],
    "dimensions": [{"name": "algorithm"}],
    "filters": [{"dimension": "clv_tier", "values": ["High-Value"]}],
}


def planner() -> LlmPlanner:
    settings = load_settings()
    assert settings is not None, "the llm fixture configures an endpoint"
    return LlmPlanner(settings)


def test_a_valid_tool_call_becomes_the_plan_with_its_token_usage(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(tool("submit_query", GOOD))

    plan = planner().plan(QUESTION, context)

    assert plan.planner == "llm"
    assert plan.query is not None
    assert plan.query.model_dump(mode="json", exclude_defaults=True) == GOOD
    assert plan.usage == {
        "prompt_tokens": 100,
        "completion_tokens": 20,
        "total_tokens": 120,
        "requests": 1,
    }


def test_the_request_carries_the_catalog_the_question_and_enum_constrained_tools(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(tool("submit_query", GOOD))

    planner().plan(QUESTION, context)

    sent = llm.chats[0].body
    user = sent["messages"][-1]["content"]
    assert QUESTION in user
    assert "ctr [percent]" in user and "High-Value | Low-Value" in user
    assert "Today is 2026-12-01" in user
    tools = {t["function"]["name"]: t["function"]["parameters"] for t in sent["tools"]}
    assert set(tools) == {"submit_query", "get_dimension_values", "submit_sql", "cannot_answer"}
    metric_enum = tools["submit_query"]["properties"]["metrics"]["items"]["enum"]
    assert "ctr" in metric_enum and "profit" not in metric_enum
    assert sent["model"] == "scripted-model"


def test_an_unknown_metric_goes_back_with_the_valid_names_and_the_repair_is_used(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(tool("submit_query", {**GOOD, "metrics": ["clickthru"]}), tool("submit_query", GOOD))

    plan = planner().plan(QUESTION, context)

    assert plan.query is not None and plan.query.metrics == ["ctr"]
    feedback = llm.chats[1].messages[-1]
    assert feedback["role"] == "tool" and feedback["tool_call_id"] == "call_1"
    assert "Unknown metric 'clickthru'" in feedback["content"]
    assert "ctr" in feedback["content"]


def test_a_misspelled_value_is_refused_with_the_closest_spelling(
    llm: ScriptedServer, context: PlanContext
) -> None:
    wrong = {**GOOD, "filters": [{"dimension": "clv_tier", "values": ["High Valu"]}]}
    llm.script(tool("submit_query", wrong), tool("submit_query", GOOD))

    planner().plan(QUESTION, context)

    feedback = llm.chats[1].messages[-1]["content"]
    assert "'High Valu' is not a value of clv_tier" in feedback
    assert "Did you mean 'High-Value'" in feedback


def test_a_value_differing_only_in_case_is_spelled_as_the_warehouse_spells_it(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(
        tool(
            "submit_query",
            {**GOOD, "filters": [{"dimension": "clv_tier", "values": ["high-value"]}]},
        )
    )

    plan = planner().plan(QUESTION, context)

    assert plan.query is not None and plan.query.filters[0].values == ["High-Value"]
    assert len(llm.chats) == 1


def test_the_model_can_look_up_exact_values_before_answering(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(
        tool("get_dimension_values", {"dimension": "brand", "search": "loom"}),
        tool(
            "submit_query",
            {"metrics": ["clicks"], "filters": [{"dimension": "brand", "values": ["Loom & Co"]}]},
        ),
    )

    plan = planner().plan("clicks on loom stuff", context)

    assert plan.query is not None and plan.query.filters[0].values == ["Loom & Co"]
    looked_up = llm.chats[1].messages[-1]["content"]
    assert "Values of brand containing 'loom'" in looked_up and "Loom & Co" in looked_up


def test_repair_rounds_are_bounded_and_the_refusal_names_the_last_problem(
    llm: ScriptedServer, context: PlanContext
) -> None:
    bad = tool("submit_query", {"metrics": ["profit"]})
    llm.script(bad, bad, bad, bad)

    with pytest.raises(PlanningError) as refusal:
        planner().plan(QUESTION, context)

    assert len(llm.chats) == 3  # one try and the default two repair rounds
    assert "did not validate after 3 attempts" in str(refusal.value)
    assert "Unknown metric 'profit'" in str(refusal.value)


def test_a_model_that_says_it_cannot_answer_becomes_a_refusal_listing_what_can_be_asked(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(tool("cannot_answer", {"reason": "there is no weather data"}))

    with pytest.raises(PlanningError) as refusal:
        planner().plan("what's the weather", context)

    assert "there is no weather data" in str(refusal.value)
    assert "Metrics you can ask about: aov" in str(refusal.value)


MALFORMED = [
    ("arguments that are not JSON", tool("submit_query", "{metrics: [ctr"), "not valid JSON"),
    (
        "a tool that does not exist",
        tool("run_python", {"code": "1"}),
        "there is no tool 'run_python'",
    ),
    ("a query that is not an object", tool("submit_query", "[1, 2]"), "must be a JSON object"),
    (
        "a wrong type",
        tool("submit_query", {"metrics": "ctr", "limit": "ten"}),
        "metrics: Input should be a valid list",
    ),
]


@pytest.mark.parametrize(("case", "step", "says"), MALFORMED, ids=[c for c, _, _ in MALFORMED])
def test_a_malformed_reply_is_sent_back_as_a_problem_and_a_good_one_is_then_used(
    case: str, step: object, says: str, llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(step, tool("submit_query", GOOD))  # type: ignore[arg-type]

    plan = planner().plan(QUESTION, context)

    assert plan.query is not None and plan.query.metrics == ["ctr"]
    assert says in llm.chats[1].messages[-1]["content"]


def test_a_follow_up_sends_the_previous_semantic_query(
    llm: ScriptedServer, context: PlanContext
) -> None:
    from semantic_layer.query import SemanticQuery

    previous = SemanticQuery(metrics=["ctr"], dimensions=["algorithm"])
    follow = PlanContext(context.model, context.values, context.as_of, context.data_range, previous)
    llm.script(tool("submit_query", {**GOOD, "dimensions": ["algorithm", "date:week"]}))

    plan = planner().plan("and by week?", follow)

    user = llm.chats[0].messages[-1]["content"]
    assert '{"metrics": ["ctr"], "dimensions": [{"name": "algorithm"}]}' in user
    assert plan.query is not None and [d.column for d in plan.query.dimensions] == [
        "algorithm",
        "date_week",
    ]


def test_a_server_without_tools_is_asked_for_a_json_object_and_remembered(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(
        reply("Sure! The CTR for each recommender is something I can look into."),
        json_reply({"action": "query", "query": GOOD}),
        json_reply({"action": "query", "query": GOOD}),
    )

    planner().plan(QUESTION, context)
    planner().plan(QUESTION, context)

    first, second, third = llm.chats
    assert "tools" in first.body and "tools" not in second.body
    assert second.body["response_format"]["type"] == "json_schema"
    schema = second.body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["action"]["enum"] == ["query", "values", "cannot_answer", "sql"]
    assert third.body["response_format"]["type"] == "json_schema"  # no second try with tools


def test_a_server_refusing_a_response_format_gets_the_next_simpler_one(
    llm: ScriptedServer, context: PlanContext
) -> None:
    llm.script(
        error(400, "tools are not supported by this server"),
        error(
            500, "Input should be 'text' or 'json_object' at ('body', 'response_format', 'type')"
        ),
        error(422, "unknown field response_format.schema"),
        json_reply({"action": "query", "query": GOOD}),
    )

    plan = planner().plan(QUESTION, context)

    assert plan.query is not None
    formats = [r.body.get("response_format", {}).get("type") for r in llm.chats]
    assert formats == [None, "json_schema", "json_object", "json_object"]
    assert "schema" in llm.chats[2].body["response_format"]
    assert "schema" not in llm.chats[3].body["response_format"]


def test_a_json_reply_wrapped_in_prose_and_fences_is_read(
    llm: ScriptedServer, context: PlanContext, llm_config: object
) -> None:
    llm.script(
        reply(None),
        reply("Here it is:\n```json\n" + json.dumps({"action": "query", "query": GOOD}) + "\n```"),
    )
    # an empty first reply in tools mode means tools were ignored: the JSON modes take over
    plan = planner().plan(QUESTION, context)
    assert plan.query is not None and plan.query.metrics == ["ctr"]


def test_a_reply_cut_off_at_the_length_limit_is_sent_back_as_too_long(
    llm: ScriptedServer, context: PlanContext
) -> None:
    cut = reply('{"action": "query", "query": {"metrics": ["ct')
    cut.body["choices"][0]["finish_reason"] = "length"
    llm.script(reply("no tools here"), cut, json_reply({"action": "query", "query": GOOD}))

    planner().plan(QUESTION, context)

    assert "cut off at the length limit" in llm.chats[2].messages[-1]["content"]


def test_tokens_spent_on_a_refused_question_are_not_charged_to_the_next_one(
    llm: ScriptedServer, context: PlanContext
) -> None:
    bad = tool("submit_query", {"metrics": ["profit"]})
    llm.script(bad, bad, bad, tool("submit_query", GOOD))
    same = planner()

    with pytest.raises(PlanningError):
        same.plan(QUESTION, context)
    plan = same.plan(QUESTION, context)

    assert plan.usage is not None and plan.usage["requests"] == 1
