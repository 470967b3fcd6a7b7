"""`recsight serve` over stdio, driven by the MCP SDK's own client as a subprocess."""

from __future__ import annotations

import base64
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.client.stdio import stdio_client
from mcp_session import McpSession, serve_command, server_env, stdio_parameters

TOOLS = {
    "list_metrics",
    "list_dimensions",
    "get_dimension_values",
    "query_metrics",
    "ask",
    "compile_sql",
    "run_sql",
}


@pytest.fixture(scope="module")
def stderr_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("logs") / "server-stderr.log"


@pytest.fixture(scope="module")
def mcp(warehouse: Path, home: Path, stderr_log: Path) -> Iterator[McpSession]:
    with stderr_log.open("w") as log:
        session = McpSession(
            lambda: Client(stdio_client(stdio_parameters(warehouse, home), errlog=log))
        ).start()
        yield session
        session.close()


def text_of(result: Any) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


def test_tools_list_offers_every_tool_with_an_output_schema(mcp: McpSession) -> None:
    tools = mcp.run(lambda c: c.list_tools()).tools
    assert {t.name for t in tools} == TOOLS
    for tool in tools:
        assert tool.description and len(tool.description) > 80, tool.name
        assert tool.output_schema and tool.output_schema["type"] == "object", tool.name
        assert tool.annotations is not None and tool.annotations.read_only_hint


def test_metric_and_dimension_names_are_enums_from_the_model(mcp: McpSession) -> None:
    tools = {t.name: t for t in mcp.run(lambda c: c.list_tools()).tools}
    schema = tools["query_metrics"].input_schema
    metrics = schema["properties"]["metrics"]["items"]["enum"]
    dimensions = schema["properties"]["dimensions"]["items"]["enum"]
    assert {"ctr", "revenue", "conversion_rate"} <= set(metrics)
    assert {"algorithm", "clv_tier", "date:week", "date:month"} <= set(dimensions)
    assert "-ctr" in schema["properties"]["order_by"]["items"]["enum"]


def test_list_metrics_finds_metrics_by_a_word(mcp: McpSession) -> None:
    result = mcp.call("list_metrics", {"search": "basket"})
    assert [m["name"] for m in result.structured_content["metrics"]] == ["aov"]
    assert "| aov | currency |" in text_of(result)


def test_list_dimensions_names_the_time_grains_and_the_metrics_they_fit(mcp: McpSession) -> None:
    result = mcp.call("list_dimensions", {"metrics": ["units_sold", "ctr"]})
    content = result.structured_content
    assert content["metrics"] == ["units_sold", "ctr"]
    dimensions = {d["name"]: d for d in content["dimensions"]}
    assert {"algorithm", "category", "clv_tier", "date"} <= dimensions.keys()
    assert "week" in dimensions["date"]["grains"] and dimensions["category"]["grains"] == []
    assert text_of(result).startswith("Dimensions that fit units_sold, ctr.")


def test_dimension_values_come_most_frequent_first(mcp: McpSession) -> None:
    result = mcp.call("get_dimension_values", {"dimension": "category"})
    values = result.structured_content["values"]
    assert {v["value"] for v in values} == {"Dresses", "Outerwear", "Accessories", "Shoes"}
    counts = [v["rows"] for v in values]
    assert counts == sorted(counts, reverse=True)


def test_query_metrics_ctr_matches_clicks_over_impressions_from_raw_sql(mcp: McpSession) -> None:
    answer = mcp.call(
        "query_metrics",
        {"metrics": ["ctr", "clicks"], "dimensions": ["algorithm"], "order_by": ["-ctr"]},
    )
    assert not answer.is_error
    by_algorithm = {row[0]: row[1] for row in answer.structured_content["rows"]}
    raw = mcp.call(
        "run_sql",
        {
            "sql": "SELECT i.algorithm, count(c.click_id) * 1.0 / count(*) AS ctr "
            "FROM impressions AS i LEFT JOIN clicks AS c ON c.impression_id = i.impression_id "
            "GROUP BY i.algorithm"
        },
    )
    expected = {row[0]: row[1] for row in raw.structured_content["rows"]}
    assert (
        by_algorithm.keys()
        == expected.keys()
        == {
            "Collaborative Filtering",
            "Content-Based",
            "Neural Network",
        }
    )
    for algorithm, ctr in expected.items():
        assert by_algorithm[algorithm] == pytest.approx(ctr)
    text = text_of(answer)
    assert text.startswith("**CTR and clicks by algorithm")
    assert "| algorithm | ctr | clicks |" in text and "```sql" in text
    assert "Neural Network leads on CTR" in text


def test_a_breakdown_comes_with_a_chart_image(mcp: McpSession) -> None:
    answer = mcp.call("query_metrics", {"metrics": ["revenue"], "dimensions": ["category"]})
    images = [block for block in answer.content if block.type == "image"]
    assert answer.structured_content["chart"] is True and len(images) == 1
    assert images[0].mime_type == "image/png"
    assert base64.b64decode(images[0].data).startswith(b"\x89PNG")
    single = mcp.call("query_metrics", {"metrics": ["revenue"]})
    assert single.structured_content["chart"] is False
    assert [block.type for block in single.content] == ["text"]


def test_ask_answers_a_question_and_says_how_it_read_it(mcp: McpSession) -> None:
    answer = mcp.call("ask", {"question": "Which algorithm has the best CTR on outerwear?"})
    assert not answer.is_error, text_of(answer)
    content = answer.structured_content
    assert content["planner"] == "builtin"
    assert "Outerwear" in content["restatement"]
    assert content["columns"] == ["algorithm", "ctr"] and content["row_count"] == 1
    assert "Outerwear" in content["sql"]


def test_a_question_the_planner_cant_read_is_a_tool_error_that_points_to_query_metrics(
    mcp: McpSession,
) -> None:
    refusal = mcp.call("ask", {"question": "delete every impression from last week"})
    assert refusal.is_error
    assert "query_metrics" in text_of(refusal)


def test_compile_sql_writes_the_dialect_asked_for_without_running(mcp: McpSession) -> None:
    result = mcp.call(
        "compile_sql", {"metrics": ["ctr"], "dimensions": ["date:week"], "dialect": "bigquery"}
    )
    content = result.structured_content
    assert content["dialect"] == "bigquery"
    assert "DATE_TRUNC" in content["sql"] and "WEEK" in content["sql"]
    assert content["columns"] == ["date_week", "ctr"]


def test_run_sql_caps_rows_and_says_so(mcp: McpSession) -> None:
    result = mcp.call("run_sql", {"sql": "SELECT impression_id FROM impressions"})
    content = result.structured_content
    assert content["row_count"] == 200 and content["truncated"]
    assert content["sql"].endswith("LIMIT 201")
    assert "Only the first 200 rows are shown" in text_of(result)


def test_the_model_and_glossary_are_resources(mcp: McpSession) -> None:
    listed = {str(r.uri) for r in mcp.run(lambda c: c.list_resources()).resources}
    assert listed == {"recsight://model", "recsight://glossary"}
    glossary = mcp.run(lambda c: c.read_resource("recsight://glossary")).contents[0].text
    assert "## ctr" in glossary and "count of rows in clicks / count of rows in impressions" in (
        glossary
    )
    model = mcp.run(lambda c: c.read_resource("recsight://model")).contents[0].text
    assert "metrics:" in model and "conversion_rate:" in model


def test_prompts_are_the_reference_analyses(mcp: McpSession) -> None:
    prompts = {p.name for p in mcp.run(lambda c: c.list_prompts()).prompts}
    assert prompts == {
        "algorithm_overview",
        "segment_breakdown",
        "category_performance",
        "trend_over_time",
    }
    got = mcp.run(lambda c: c.get_prompt("segment_breakdown", {"segment": "region"}))
    text = got.messages[0].content.text
    assert "grouped by algorithm\n   and region" in text


BAD_CALLS = [
    ("query_metrics", {"metrics": ["ctrr"]}, "Unknown metric 'ctrr'. Did you mean 'ctr'?"),
    ("query_metrics", {"metrics": ["ctr"], "dimensions": ["algo"]}, "Unknown dimension 'algo'"),
    ("query_metrics", {"metrics": "ctr"}, "'metrics' must be a list"),
    ("query_metrics", {"metrics": ["ctr"], "limit": "ten"}, "'limit' must be a whole number"),
    ("query_metrics", {"metrics": ["ctr"], "limit": 0}, "'limit' is out of range"),
    (
        "query_metrics",
        {"metrics": ["ctr"], "time_range": {"start": "yesterday", "end": "2026-11-30"}},
        "'time_range.start' must be a date written YYYY-MM-DD",
    ),
    (
        "query_metrics",
        {"metrics": ["ctr"], "time_range": {"start": "2026-11-30", "end": "2026-11-01"}},
        "starts (2026-11-30) after it ends (2026-11-01)",
    ),
    (
        "query_metrics",
        {"metrics": ["ctr"], "time_range": {"start": "2025-01-01", "end": "2025-01-31"}},
        "No data from 2025-01-01 to 2025-01-31: the warehouse covers 2026-09-01 to 2026-11-30",
    ),
    (
        "query_metrics",
        {"metrics": ["ctr"], "filters": [{"dimension": "category", "values": ["Outerwears"]}]},
        "Unknown value 'Outerwears' of category. Did you mean 'Outerwear'?",
    ),
    ("query_metrics", {"metrics": ["ctr"], "dimension": ["algorithm"]}, "mean 'dimensions'"),
    ("query_metrics", {}, "'metrics' is required"),
    ("get_dimension_values", {"dimension": "date"}, "is the time dimension"),
    ("list_dimensions", {"metrics": ["revenu"]}, "Did you mean 'revenue'?"),
    ("run_sql", {"sql": "DROP TABLE impressions"}, "Only SELECT queries are allowed; got DROP"),
    ("run_sql", {"sql": "SELECT 1; DROP TABLE impressions"}, "Only one statement is allowed"),
    ("run_sql", {"sql": "SELECT * FROM read_csv('/etc/passwd')"}, "READ_CSV is not allowed"),
    ("run_sql", {"sql": "SELECT * FROM warehouse_info"}, "Unknown table 'warehouse_info'"),
    ("run_sql", {"sql": "x" * 10_000_000}, "'sql' is too long: 10,000,000 characters"),
    ("ask", {"question": "y" * 10_000_000}, "'question' is too long: 10,000,000 characters"),
    ("ask", {"question": 42}, "'question'"),
    ("drop_tables", {}, "There is no tool 'drop_tables'"),
]


@pytest.mark.parametrize(("tool", "arguments", "message"), BAD_CALLS, ids=lambda v: str(v)[:30])
def test_bad_arguments_are_tool_errors_and_the_server_keeps_serving(
    mcp: McpSession, tool: str, arguments: dict[str, Any], message: str
) -> None:
    result = mcp.call(tool, arguments)
    assert result.is_error
    assert message in text_of(result)
    assert len(text_of(result)) < 2_000, "an error must not echo megabytes back"
    after = mcp.call("query_metrics", {"metrics": ["impressions"]})
    assert not after.is_error and after.structured_content["rows"][0][0] > 0


def test_each_call_is_logged_to_stderr_without_its_arguments(
    mcp: McpSession, stderr_log: Path
) -> None:
    mcp.call("list_metrics", {"search": "secret-word-in-arguments"})
    log = stderr_log.read_text()
    assert "list_metrics answered in" in log
    assert "run_sql refused in" in log and "GuardError" in log
    assert "secret-word-in-arguments" not in log


def test_stdout_carries_only_protocol_messages(warehouse: Path, home: Path) -> None:
    requests = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "raw-test", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "query_metrics", "arguments": {"metrics": ["ctr"]}},
        },
    ]
    server = subprocess.Popen(
        serve_command(warehouse),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=server_env(home),
    )
    assert server.stdin is not None and server.stdout is not None
    replies = []
    for request in requests:
        server.stdin.write((json.dumps(request) + "\n").encode())
        server.stdin.flush()
        if "id" in request:
            replies.append(json.loads(server.stdout.readline()))
    rest, errors = server.communicate(timeout=60)  # closes stdin: the server ends
    assert rest.strip() == b"", "nothing but protocol replies may reach stdout"
    assert [r.get("id") for r in replies] == [1, 2]
    assert replies[1]["result"]["structuredContent"]["columns"] == ["ctr"]
    assert b"query_metrics answered" in errors


def test_a_missing_warehouse_stops_start_up_with_one_line(home: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.duckdb"
    done = subprocess.run(
        serve_command(missing), env=server_env(home), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and done.stdout == ""
    assert f"Warehouse file '{missing}' (from --warehouse) does not exist" in done.stderr
    assert "Traceback" not in done.stderr


def test_listing_tools_opens_no_warehouse_and_builds_no_value_index(
    warehouse: Path, tmp_path: Path
) -> None:
    home, log_path = tmp_path / "home", tmp_path / "stderr.log"
    with log_path.open("w") as log:
        session = McpSession(
            lambda: Client(stdio_client(stdio_parameters(warehouse, home), errlog=log))
        ).start()
        assert len(session.run(lambda c: c.list_tools()).tools) == len(TOOLS)
        session.close()
    assert "warehouse opened" not in log_path.read_text()
    assert not (home / "cache").exists()


def spawn_to_tools_list(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    server = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert server.stdin is not None and server.stdout is not None
    for request in STARTUP_REQUESTS:
        server.stdin.write((json.dumps(request) + "\n").encode())
        server.stdin.flush()
        if "id" in request:
            reply = json.loads(server.stdout.readline())
    elapsed = time.perf_counter() - started
    server.communicate(timeout=60)
    assert len(reply["result"]["tools"]) == len(TOOLS)
    return elapsed


STARTUP_REQUESTS = [
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "startup-test", "version": "0"},
        },
    },
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
]


def test_a_fresh_server_answers_tools_list_over_raw_stdio(warehouse: Path, home: Path) -> None:
    # How fast is measured by eval/startup_mcp.py, a benchmark: a timed assertion here would
    # fail on a loaded machine and prove nothing on an idle one.
    spawn_to_tools_list(serve_command(warehouse), server_env(home))
