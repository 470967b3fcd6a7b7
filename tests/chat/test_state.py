"""The conversation remembers answers for undo and keeps saved questions on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsight.answering.answer import Answer
from recsight.chat.compare import merge
from recsight.chat.drill import Drill, gap_sentences
from recsight.chat.state import Conversation, SavedQuestions, Turn
from semantic_layer.errors import UserError
from semantic_layer.query import SemanticQuery, TimeRange


def answer(question: str, rows: list[list[object]] | None = None, **fields: object) -> Answer:
    query = SemanticQuery(metrics=["ctr"], dimensions=["algorithm"])  # type: ignore[list-item]
    base: dict[str, object] = {
        "question": question,
        "restatement": question,
        "query": query,
        "sql": "SELECT 1",
        "columns": ["algorithm", "ctr"],
        "kinds": {"algorithm": "dimension", "ctr": "metric"},
        "units": {"ctr": "percent"},
        "rows": rows or [["Neural Network", 0.03]],
        "explanation": [],
    }
    return Answer.model_validate({**base, **fields})


def test_undo_returns_to_the_answer_before() -> None:
    chat = Conversation()
    chat.push(Turn(answer("first"), "built-in planner"))
    chat.push(Turn(answer("second"), "follow-up rule"))
    back = chat.undo()
    assert back is not None and back.answer.question == "first"
    assert chat.last_answer is not None and chat.last_answer.question == "first"


def test_undo_past_the_first_answer_leaves_nothing_to_build_on() -> None:
    chat = Conversation()
    chat.push(Turn(answer("only"), "built-in planner"))
    assert chat.undo() is None
    assert chat.last_query is None


def test_undo_with_no_answers_says_so() -> None:
    with pytest.raises(UserError, match="Nothing to undo"):
        Conversation().undo()


def test_a_saved_question_survives_a_new_session(tmp_path: Path) -> None:
    query = SemanticQuery(metrics=["ctr"], dimensions=["date:week"])  # type: ignore[list-item]
    SavedQuestions(tmp_path / "saved.json").save("weekly-ctr", "weekly ctr", query)
    again = SavedQuestions(tmp_path / "saved.json").get("weekly-ctr")
    assert (again.question, again.query) == ("weekly ctr", query)


def test_an_unknown_saved_name_suggests_the_closest(tmp_path: Path) -> None:
    saved = SavedQuestions(tmp_path / "saved.json")
    saved.save("weekly-ctr", "weekly ctr", SemanticQuery(metrics=["ctr"]))
    with pytest.raises(UserError, match="Did you mean 'weekly-ctr'"):
        saved.get("weekly-cr")


@pytest.mark.parametrize("name", ["", "two words", "x" * 41, "../escape"])
def test_a_bad_name_is_refused_with_an_example(name: str, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="can't name a saved question"):
        SavedQuestions(tmp_path / "saved.json").save(name, "q", SemanticQuery(metrics=["ctr"]))


def test_a_damaged_saved_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "saved.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="Could not read saved questions"):
        SavedQuestions(tmp_path / "saved.json").names()


def test_comparing_periods_matches_rows_and_states_the_change() -> None:
    november = TimeRange.model_validate({"start": "2026-11-01", "end": "2026-11-30"})
    october = TimeRange.model_validate({"start": "2026-10-01", "end": "2026-10-31"})
    now = answer("now", [["Neural Network", 0.03], ["Content-Based", 0.02]], time_range=november)
    then = answer("then", [["Content-Based", 0.025]], time_range=october)
    merged = merge(now, then, "compare with last month")
    assert merged.columns == ["algorithm", "ctr", "ctr_before", "ctr_change_pts"]
    assert merged.rows[0] == ["Neural Network", 0.03, None, None]
    assert merged.rows[1][:3] == ["Content-Based", 0.02, 0.025]
    assert merged.rows[1][3] == pytest.approx(-0.5)
    assert merged.units["ctr_change_pts"] == "number"
    assert "no data in 1–31 Oct 2026" in merged.explanation[0]
    assert merged.explanation[1] == (
        "CTR for Content-Based fell by 0.50 pts (-20.0%): 2.50% in 1–31 Oct 2026, 2.00% now."
    )


def drilled(rows: list[list[object]]) -> Answer:
    return answer(
        "why",
        rows,
        columns=["algorithm", "customer_type", "ctr"],
        kinds={"algorithm": "dimension", "customer_type": "dimension", "ctr": "metric"},
    )


def test_why_says_when_the_leader_leads_in_every_segment() -> None:
    plan = Drill(SemanticQuery(metrics=["ctr"]), "ctr", "customer_type", "algorithm", ("NN", "CF"))
    rows = [
        ["NN", "New", 0.02],
        ["CF", "New", 0.015],
        ["NN", "Repeat", 0.04],
        ["CF", "Repeat", 0.03],
    ]
    sentences = gap_sentences(drilled(rows), plan)
    assert sentences[0] == "CTR of NN vs CF by customer type: New +0.50 pts; Repeat +1.00 pts."
    assert "NN leads in every customer type" in sentences[1]
    assert "widest for Repeat (+1.00 pts)" in sentences[1]


def test_why_says_when_the_lead_reverses_inside_a_segment() -> None:
    plan = Drill(SemanticQuery(metrics=["ctr"]), "ctr", "customer_type", "algorithm", ("NN", "CF"))
    rows = [
        ["NN", "New", 0.01],
        ["CF", "New", 0.015],
        ["NN", "Repeat", 0.04],
        ["CF", "Repeat", 0.03],
    ]
    sentences = gap_sentences(drilled(rows), plan)
    assert "NN does not lead everywhere (behind or level in New)" in sentences[1]


def test_why_after_a_top_one_compares_the_leader_with_the_next_best_in_each_segment() -> None:
    plan = Drill(SemanticQuery(metrics=["ctr"]), "ctr", "customer_type", "algorithm", ("NN",))
    rows = [
        ["NN", "New", 0.02],
        ["CF", "New", 0.015],
        ["CB", "New", 0.018],
        ["NN", "Repeat", 0.04],
        ["CF", "Repeat", 0.03],
    ]
    sentences = gap_sentences(drilled(rows), plan)
    assert sentences[0] == (
        "CTR of NN vs the next best by customer type: New +0.20 pts (CB); Repeat +1.00 pts (CF)."
    )
    assert "NN leads in every customer type" in sentences[1]
