"""Follow-up rules turn short replies into a new semantic query built from the last answer's."""

from __future__ import annotations

from typing import Any

import pytest

from recsight.answering.answer import Answer
from recsight.chat.compare import earlier_range
from recsight.chat.followups import clean, is_undo, read_follow_up
from recsight.chat.resolve import Vocabulary
from semantic_layer.errors import PlanningError
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery, TimeRange

VALUES = {
    "algorithm": ["Collaborative Filtering", "Content-Based", "Neural Network"],
    "device": ["Mobile", "Desktop", "Tablet"],
    "customer_type": ["New", "Repeat"],
    "clv_tier": ["High-Value", "Low-Value"],
    "acquisition_channel": ["Paid Search", "Organic Search", "Social", "Email", "Direct"],
    "placement": ["Homepage Hero", "Product Page", "Cart", "Category Page", "Email"],
    "category": ["Dresses", "Outerwear", "Accessories", "Shoes"],
}
NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary(load_model(), VALUES)


def ctr_by_algorithm(**changes: Any) -> Answer:
    query = SemanticQuery.model_validate(
        {"metrics": ["ctr"], "dimensions": ["algorithm"], "time_range": NOVEMBER, **changes}
    )
    return Answer(
        question="CTR by algorithm in November",
        restatement="CTR by algorithm, 1–30 Nov 2026",
        query=query,
        sql="SELECT 1",
        columns=["algorithm", "ctr"],
        kinds={"algorithm": "dimension", "ctr": "metric"},
        units={"ctr": "percent"},
        rows=[
            ["Content-Based", 0.021],
            ["Neural Network", 0.034],
            ["Collaborative Filtering", 0.029],
        ],
        explanation=[],
    )


def follow(text: str, vocabulary: Vocabulary, previous: Answer | None = None) -> dict[str, Any]:
    found = read_follow_up(text, previous or ctr_by_algorithm(), vocabulary)
    assert found is not None, f"{text!r} was not read as a follow-up"
    return found.query.model_dump(mode="json", exclude_defaults=True)


BASE = {"metrics": ["ctr"], "dimensions": [{"name": "algorithm"}], "time_range": NOVEMBER}
WEEK = {"name": "date", "grain": "week"}

READINGS = [
    ("now by week", {**BASE, "dimensions": [WEEK, {"name": "algorithm"}]}),
    ("weekly", {**BASE, "dimensions": [WEEK, {"name": "algorithm"}]}),
    ("ok, now by device", {**BASE, "dimensions": [{"name": "device"}]}),
    ("also by device", {**BASE, "dimensions": [{"name": "algorithm"}, {"name": "device"}]}),
    (
        "by clv tier and catgory",
        {**BASE, "dimensions": [{"name": "clv_tier"}, {"name": "category"}]},
    ),
    ("only shoes", {**BASE, "filters": [{"dimension": "category", "values": ["Shoes"]}]}),
    ("just shoe", {**BASE, "filters": [{"dimension": "category", "values": ["Shoes"]}]}),
    (
        "Only high-value customers",
        {**BASE, "filters": [{"dimension": "clv_tier", "values": ["High-Value"]}]},
    ),
    (
        "shoes and dresses only",
        {
            **BASE,
            "filters": [
                {"dimension": "category", "operator": "in", "values": ["Shoes", "Dresses"]}
            ],
        },
    ),
    (
        "excluding tablet",
        {**BASE, "filters": [{"dimension": "device", "operator": "!=", "values": ["Tablet"]}]},
    ),
    ("only bestsellers", {**BASE, "filters": [{"dimension": "bestseller", "values": [True]}]}),
    ("without bestsellers", {**BASE, "filters": [{"dimension": "bestseller", "values": [False]}]}),
    (
        "only email placement",
        {**BASE, "filters": [{"dimension": "placement", "values": ["Email"]}]},
    ),
    ("top 3", {**BASE, "order_by": [{"field": "ctr", "descending": True}], "limit": 3}),
    ("bottom two", {**BASE, "order_by": [{"field": "ctr"}], "limit": 2}),
    (
        "top 2 categories",
        {
            **BASE,
            "dimensions": [{"name": "category"}],
            "order_by": [{"field": "ctr", "descending": True}],
            "limit": 2,
        },
    ),
    (
        "best 2 by revenue",
        {
            **BASE,
            "metrics": ["ctr", "revenue"],
            "order_by": [{"field": "revenue", "descending": True}],
            "limit": 2,
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), READINGS, ids=[r[0] for r in READINGS])
def test_a_follow_up_changes_only_what_it_names(
    text: str, expected: dict[str, Any], vocabulary: Vocabulary
) -> None:
    assert follow(text, vocabulary) == expected


def test_only_replaces_an_earlier_filter_on_the_same_dimension(vocabulary: Vocabulary) -> None:
    shoes = ctr_by_algorithm(filters=[{"dimension": "category", "values": ["Shoes"]}])
    query = follow("only dresses", vocabulary, shoes)
    assert query["filters"] == [{"dimension": "category", "values": ["Dresses"]}]


def test_a_new_grain_replaces_the_old_one_and_keeps_the_breakdown(vocabulary: Vocabulary) -> None:
    weekly = ctr_by_algorithm(dimensions=["date:week", "algorithm"])
    query = follow("by month", vocabulary, weekly)
    assert query["dimensions"] == [{"name": "date", "grain": "month"}, {"name": "algorithm"}]


def test_why_drills_into_the_leader_and_runner_up_by_customer_type(vocabulary: Vocabulary) -> None:
    found = read_follow_up("why?", ctr_by_algorithm(), vocabulary)
    assert found is not None and found.drill is not None
    query = found.query.model_dump(mode="json", exclude_defaults=True)
    assert query["dimensions"] == [{"name": "algorithm"}, {"name": "customer_type"}]
    assert query["filters"] == [
        {
            "dimension": "algorithm",
            "operator": "in",
            "values": ["Neural Network", "Collaborative Filtering"],
        }
    ]
    assert found.drill.focus == ("Neural Network", "Collaborative Filtering")


def test_why_skips_a_segment_the_question_already_fixes(vocabulary: Vocabulary) -> None:
    new_only = ctr_by_algorithm(filters=[{"dimension": "customer_type", "values": ["New"]}])
    query = follow("what's driving this", vocabulary, new_only)
    assert query["dimensions"][1] == {"name": "clv_tier"}


def test_why_by_a_named_dimension_uses_it(vocabulary: Vocabulary) -> None:
    query = follow("why? by device", vocabulary)
    assert query["dimensions"] == [{"name": "algorithm"}, {"name": "device"}]


COMPARISONS = [
    ("compare with last month", ("2026-10-01", "2026-10-31")),
    ("how does that compare to the previous week?", ("2026-10-25", "2026-11-23")),
    ("vs the previous period", ("2026-10-02", "2026-10-31")),
    ("month over month", ("2026-10-01", "2026-10-31")),
]


@pytest.mark.parametrize(("text", "span"), COMPARISONS, ids=[c[0] for c in COMPARISONS])
def test_compare_runs_the_same_query_over_the_earlier_period(
    text: str, span: tuple[str, str], vocabulary: Vocabulary
) -> None:
    found = read_follow_up(text, ctr_by_algorithm(), vocabulary)
    assert found is not None and found.kind == "compare" and found.baseline is not None
    assert found.query.time_range == ctr_by_algorithm().query.time_range  # type: ignore[union-attr]
    assert found.baseline.model_dump(mode="json")["time_range"] == {
        "start": span[0],
        "end": span[1],
    }


EARLIER = [
    (("2026-11-01", "2026-11-30"), "month", ("2026-10-01", "2026-10-31")),
    (("2026-03-31", "2026-03-31"), "month", ("2026-02-28", "2026-02-28")),
    (("2026-10-01", "2026-12-31"), "quarter", ("2026-07-01", "2026-09-30")),
    (("2026-11-24", "2026-11-30"), "week", ("2026-11-17", "2026-11-23")),
    (("2024-02-29", "2024-02-29"), "year", ("2023-02-28", "2023-02-28")),
]


@pytest.mark.parametrize(("span", "period", "expected"), EARLIER)
def test_the_earlier_period_keeps_whole_months_whole(
    span: tuple[str, str], period: str, expected: tuple[str, str]
) -> None:
    earlier = earlier_range(TimeRange(start=span[0], end=span[1]), period)  # type: ignore[arg-type]
    assert (earlier.start.isoformat(), earlier.end.isoformat()) == expected


NOT_FOLLOW_UPS = ["Which algorithm has the best CTR?", "revenue by category last week", "hello"]


@pytest.mark.parametrize("text", NOT_FOLLOW_UPS)
def test_a_new_question_is_not_taken_for_a_follow_up(text: str, vocabulary: Vocabulary) -> None:
    assert read_follow_up(text, ctr_by_algorithm(), vocabulary) is None


REFUSALS = [
    ("only unicorns", "I don't know the value 'unicorns'"),
    ("by planet", "I don't know the dimension 'planet'"),
    ("top 3 of nothing", "I don't know the dimension"),
    ("only email", "'email' is a value of acquisition_channel or placement"),
]


@pytest.mark.parametrize(("text", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_follow_up_naming_something_unknown_says_what_is_known(
    text: str, message: str, vocabulary: Vocabulary
) -> None:
    with pytest.raises(PlanningError, match=message.replace("(", r"\(")):
        read_follow_up(text, ctr_by_algorithm(), vocabulary)


def test_top_n_of_a_single_number_asks_what_to_rank(vocabulary: Vocabulary) -> None:
    total = ctr_by_algorithm(dimensions=[])
    with pytest.raises(PlanningError, match="of what"):
        read_follow_up("top 3", total, vocabulary)


def test_compare_needs_a_time_range(vocabulary: Vocabulary) -> None:
    with pytest.raises(PlanningError, match="covers all dates"):
        read_follow_up("compare with last month", ctr_by_algorithm(time_range=None), vocabulary)


@pytest.mark.parametrize("text", ["undo", "Undo!", "go back", "never mind"])
def test_undo_words_are_recognised(text: str) -> None:
    assert is_undo(text)


def test_cleaning_drops_the_lead_in_and_punctuation() -> None:
    assert clean("  OK, now   by week?! ") == "by week"


def test_why_after_which_is_best_queries_every_group_to_find_the_runner_up(
    vocabulary: Vocabulary,
) -> None:
    best = ctr_by_algorithm(order_by=["-ctr"], limit=1)
    best = best.model_copy(update={"rows": [["Neural Network", 0.034]]})
    found = read_follow_up("why?", best, vocabulary)
    assert found is not None and found.drill is not None
    assert found.drill.focus == ("Neural Network",)
    assert found.query.filters == [] and found.query.limit is None
