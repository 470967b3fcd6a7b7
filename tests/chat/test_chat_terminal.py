"""`recsight chat` in a real pseudo-terminal: what a user types, and what the screen shows."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pexpect
import pytest

ROOT = Path(__file__).resolve().parents[2]
SLOW_QUESTION = "count to infinity"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-B]|\x1b[=>]|\r")


def plain(text: str) -> str:
    """What the screen shows, without colours and cursor movement."""
    return _ANSI.sub("", text)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from recsight.warehouse.demo import DemoSpec, build_demo

    path = tmp_path_factory.mktemp("chat-warehouse") / "demo.duckdb"
    return build_demo(DemoSpec(path=path, scale=0.05, seed=7, end=date(2026, 11, 30)))


class Terminal:
    """One `recsight chat` process in a pseudo-terminal, 120 columns wide."""

    def __init__(self, warehouse: Path, home: Path, **env: str) -> None:
        environment = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RECSIGHT_HOME": str(home),
            "TERM": "xterm-256color",
            # pexpect can't answer prompt_toolkit's cursor-position request; a plain terminal either
            "PROMPT_TOOLKIT_NO_CPR": "1",
            **env,
        }
        environment.pop("RECSIGHT_LLM_BASE_URL", None)
        args = ["-m", "recsight.cli.main", "chat", "--warehouse", str(warehouse)]
        self.child = pexpect.spawn(
            sys.executable,
            [*args, "--as-of", "2026-12-01"],
            env=environment,
            cwd=str(ROOT),
            dimensions=(50, 120),
            encoding="utf-8",
            timeout=30,
        )
        self.log = io.StringIO()
        self.child.logfile_read = self.log
        self.child.expect("recsight>")

    def say(self, text: str, until: str) -> str:
        """Type a line and Enter; the screen's text up to the next prompt after `until`."""
        start = len(self.log.getvalue())
        self.child.send(text + "\r")
        self.child.expect(until)
        self.child.expect("recsight>")
        return plain(self.log.getvalue()[start:])

    def leave(self) -> str:
        self.child.sendcontrol("d")
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.exitstatus == 0
        return plain(self.log.getvalue())


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def chat(warehouse: Path, home: Path) -> Iterator[Terminal]:
    terminal = Terminal(warehouse, home)
    yield terminal
    if terminal.child.isalive():
        terminal.child.terminate(force=True)


def test_a_question_then_follow_ups_build_on_the_last_answer(chat: Terminal) -> None:
    first = chat.say("CTR by algorithm last month", "Answered by")
    assert "CTR by algorithm, 1–30 Nov 2026" in first
    assert "Neural Network" in first and "Collaborative Filtering" in first
    assert re.search(r"Neural Network\s+│\s+\d+\.\d\d%", first)
    assert "Answered by the built-in planner" in first

    shoes = chat.say("only shoes", "Answered by")
    assert "CTR by algorithm, category Shoes, 1–30 Nov 2026" in shoes

    weekly = chat.say("now by week", "Answered by")
    assert "CTR by algorithm and week" in weekly
    assert "category Shoes" in weekly

    back = chat.say("undo", "Back to")
    assert "Back to: CTR by algorithm, category Shoes, 1–30 Nov 2026" in back

    compared = chat.say("compare with last month", "Answered by")
    assert "compared with 1–31 Oct 2026" in compared
    # Headers wrap at underscores: ctr_before, ctr_change_pts.
    assert "before" in compared and "change" in compared and "pts" in compared
    assert "Built by the follow-up rules (compared with 1–31 Oct 2026)" in compared

    why = chat.say("why?", "Answered by")
    assert "customer type" in why
    # the demo's neural model leads inside every segment; the explanation must say so
    assert re.search(r"Neural Network leads (on CTR )?in every customer type", why)
    assert "Traceback" not in chat.leave()


def test_commands_show_the_sql_export_rows_and_refuse_bad_input(
    chat: Terminal, tmp_path: Path
) -> None:
    chat.say("revenue by category last month", "Answered by")

    sql = chat.say("/sql", "SELECT")
    assert "FROM orders" in sql and "GROUP BY" in sql

    target = tmp_path / "revenue.csv"
    exported = chat.say(f"/export csv {target}", "Wrote")
    assert f"Wrote 4 rows to {target}" in exported
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0] == ["category", "revenue"]
    assert sorted(r[0] for r in rows[1:]) == ["Accessories", "Dresses", "Outerwear", "Shoes"]

    parquet = tmp_path / "revenue.parquet"
    chat.say(f"/export parquet {parquet}", "Wrote")
    with duckdb.connect() as check:
        read = check.execute("SELECT * FROM read_parquet(?) ORDER BY 1", [str(parquet)])
        types = [d[1] for d in read.description]
        assert [r[0] for r in read.fetchall()] == ["Accessories", "Dresses", "Outerwear", "Shoes"]
    assert types == ["VARCHAR", "DOUBLE"]

    chat.say("/save revenue-by-category", "Saved")
    chat.say("only shoes", "Answered by")
    again = chat.say("/run revenue-by-category", "Run from")
    assert "Revenue by category, 1–30 Nov 2026" in again
    assert "saved question 'revenue-by-category': revenue by category last month" in again

    unknown = chat.say("/chrat", "Unknown command")
    assert "Unknown command '/chrat'. Did you mean /chart? Type /help for the list." in unknown

    bad = chat.say("only unicorns", "I don't know the value")
    assert "I don't know the value 'unicorns'" in bad

    usage = chat.say("/export xlsx out.xlsx", "Usage")
    assert "Usage: /export csv PATH or /export parquet PATH" in usage

    values = chat.say("/dimensions device", r"Mobile \(")
    assert re.search(r"device: \w+ \([\d,]+\)", values)

    screen = chat.leave()
    assert "Traceback" not in screen
    assert "Bye." in screen


def test_ctrl_c_cancels_a_running_query_and_the_session_goes_on(
    warehouse: Path, home: Path
) -> None:
    chat = Terminal(warehouse, home, RECSIGHT_TEST_SLOW_QUERY=SLOW_QUESTION)
    chat.child.send(SLOW_QUESTION + "\r")
    chat.child.expect("Ctrl-C cancels")
    chat.child.expect("Working", timeout=5)  # still spinning: the query is running
    chat.child.sendintr()
    chat.child.expect("Cancelled", timeout=10)
    chat.child.expect("recsight>")

    after = chat.say("impressions by device last 7 days", "Answered by")
    assert "Impressions by device, 24–30 Nov 2026" in after
    screen = chat.leave()
    assert "ran longer than" not in screen  # cancelled by Ctrl-C, not by the timeout


def test_history_is_kept_across_sessions(warehouse: Path, home: Path) -> None:
    first = Terminal(warehouse, home)
    first.say("clicks by placement last 7 days", "Answered by")
    first.child.send("/quit\r")
    first.child.expect("Bye.")
    first.child.expect(pexpect.EOF)

    second = Terminal(warehouse, home)
    second.child.send("\x1b[A")  # Up recalls the last line, /quit
    second.child.expect("/quit")
    second.child.send("\x1b[A")  # and Up again the question before it
    second.child.expect("clicks by placement last 7 days")
    again = second.say("", "Answered by")
    assert "Clicks by placement, 24–30 Nov 2026" in again
    second.leave()
    assert "clicks by placement last 7 days" in (home / "chat" / "history").read_text()


def test_alt_enter_adds_a_line_and_enter_sends_the_whole_question(chat: Terminal) -> None:
    chat.child.send("conversion rate by device")
    chat.child.send("\x1b\r")  # Esc-Enter, what Alt-Enter sends
    answer = chat.say("last month", "Answered by")
    assert "Conversion rate by device, 1–30 Nov 2026" in answer


def test_values_are_offered_as_you_type_and_tab_takes_one(chat: Terminal) -> None:
    chat.child.send("ctr for Neur")
    chat.child.expect("Neural Network")  # the menu opens while typing
    chat.child.send("\t")
    chat.child.expect(";7m Neural Network")  # Tab highlights it and puts it in the line
    answer = chat.say("\r", "Answered by")  # the first Enter takes it, the second sends
    assert "ctr for Neural Network" in answer
    assert "CTR, algorithm Neural Network" in answer


def test_without_a_terminal_each_piped_line_is_one_question(warehouse: Path, home: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RECSIGHT_HOME": str(home)}
    command = ["-m", "recsight.cli.main", "chat", "--warehouse", str(warehouse)]
    done = subprocess.run(
        [sys.executable, *command, "--as-of", "2026-12-01"],
        input="ctr by device last month\nonly mobile\n/nope\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "recsight> only mobile" in done.stdout
    assert "CTR by device, device Mobile, 1–30 Nov 2026" in done.stdout
    assert "Unknown command '/nope'" in done.stdout
    assert done.stdout.rstrip().endswith("Bye.")


def test_chart_writes_the_last_answer_as_a_png(chat: Terminal, home: Path) -> None:
    from recsight.answering import chart

    if not hasattr(chart, "render_png"):
        pytest.skip("the answer renderers (issue 3) are not on this branch yet")
    chat.say("ctr by category last month", "Answered by")
    shown = chat.say("/chart", "Chart written to")
    written = home / "chat" / "charts" / "answer-1.png"
    assert f"Chart written to {written}" in shown.replace("\n", "")
    assert written.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
