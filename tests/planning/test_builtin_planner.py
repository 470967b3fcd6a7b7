"""The built-in planner reads questions the way analysts ask them, and refuses what it can't map."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from recsight.planning.base import PlanContext
from recsight.planning.builtin import BuiltinPlanner
from semantic_layer.errors import PlanningError
from semantic_layer.loader import load_model
from semantic_layer.query import SemanticQuery, TimeRange

VALUES = {
    "algorithm": ["Collaborative Filtering", "Content-Based", "Neural Network"],
    "model_version": ["cf-als-3.2", "cb-tfidf-1.4", "nn-v1", "nn-v2"],
    "placement": ["Homepage Hero", "Product Page", "Cart", "Category Page", "Email"],
    "rec_type": ["Cross-sell", "Upsell", "Similar Items", "Personalized Picks"],
    "device": ["Mobile", "Desktop", "Tablet"],
    "slot": [str(i) for i in range(1, 9)],
    "customer_type": ["New", "Repeat"],
    "clv_tier": ["High-Value", "Low-Value"],
    "acquisition_channel": [
        "Paid Search",
        "Organic Search",
        "Social",
        "Email",
        "Direct",
        "Affiliate",
    ],
    "region": ["Northeast", "Midwest", "South", "West"],
    "experiment_group": ["treatment", "holdout"],
    "category": ["Dresses", "Outerwear", "Accessories", "Shoes"],
    "brand": ["Nordwind", "Loom & Co"],
}
AS_OF = date(2026, 12, 1)


@pytest.fixture(scope="module")
def context() -> PlanContext:
    span = TimeRange(start=date(2026, 9, 1), end=date(2026, 11, 30))
    return PlanContext(load_model(), VALUES, AS_OF, span)


def plan(question: str, context: PlanContext) -> dict[str, Any]:
    query = BuiltinPlanner().plan(question, context).query
    return query.model_dump(mode="json", exclude_defaults=True)


READINGS = [
    (
        "Which algorithm has the best CTR for high-value customers?",
        {
            "metrics": ["ctr"],
            "dimensions": [{"name": "algorithm"}],
            "filters": [{"dimension": "clv_tier", "values": ["High-Value"]}],
            "order_by": [{"field": "ctr", "descending": True}],
            "limit": 1,
        },
    ),
    (
        "show me conversion rate by placement last 7 days",
        {
            "metrics": ["conversion_rate"],
            "dimensions": [{"name": "placement"}],
            "time_range": {"start": "2026-11-24", "end": "2026-11-30"},
        },
    ),
    (
        "top 3 categories by revenue in October",
        {
            "metrics": ["revenue"],
            "dimensions": [{"name": "category"}],
            "time_range": {"start": "2026-10-01", "end": "2026-10-31"},
            "order_by": [{"field": "revenue", "descending": True}],
            "limit": 3,
        },
    ),
    (
        "weekly ctr trend for neural network",
        {
            "metrics": ["ctr"],
            "dimensions": [{"name": "date", "grain": "week"}],
            "filters": [{"dimension": "algorithm", "values": ["Neural Network"]}],
        },
    ),
    (
        "conversoin rate by algoritm",
        {"metrics": ["conversion_rate"], "dimensions": [{"name": "algorithm"}]},
    ),
    (
        "clicks on mobile excluding email placement",
        {
            "metrics": ["clicks"],
            "filters": [
                {"dimension": "device", "values": ["Mobile"]},
                {"dimension": "placement", "operator": "!=", "values": ["Email"]},
            ],
        },
    ),
    (
        "compare cf vs nn ctr by category",
        {
            "metrics": ["ctr"],
            "dimensions": [{"name": "category"}, {"name": "algorithm"}],
            "filters": [
                {
                    "dimension": "algorithm",
                    "operator": "in",
                    "values": ["Collaborative Filtering", "Neural Network"],
                }
            ],
        },
    ),
    (
        "categories with ctr above 3%",
        {
            "metrics": ["ctr"],
            "dimensions": [{"name": "category"}],
            "having": [{"metric": "ctr", "operator": ">", "value": 0.03}],
        },
    ),
    (
        "impressions between nov 1 and nov 15 by day",
        {
            "metrics": ["impressions"],
            "dimensions": [{"name": "date", "grain": "day"}],
            "time_range": {"start": "2026-11-01", "end": "2026-11-15"},
        },
    ),
    (
        "ctr in slot 1 vs slot 2",
        {
            "metrics": ["ctr"],
            "dimensions": [{"name": "slot"}],
            "filters": [{"dimension": "slot", "operator": "in", "values": ["1", "2"]}],
        },
    ),
    (
        "impressions in slots 1 to 3",
        {
            "metrics": ["impressions"],
            "filters": [{"dimension": "slot", "operator": "between", "values": [1, 3]}],
        },
    ),
    (
        "Which converts better, new or repeat customers?",
        {
            "metrics": ["conversion_rate"],
            "dimensions": [{"name": "customer_type"}],
            "filters": [
                {"dimension": "customer_type", "operator": "in", "values": ["New", "Repeat"]}
            ],
            "order_by": [{"field": "conversion_rate", "descending": True}],
            "limit": 1,
        },
    ),
    (
        "What are our 3 best hours for clicks?",
        {
            "metrics": ["clicks"],
            "dimensions": [{"name": "date", "grain": "hour_of_day"}],
            "order_by": [{"field": "clicks", "descending": True}],
            "limit": 3,
        },
    ),
    (
        "Does the neural net still win on CTR once you split shoppers into new and repeat?",
        {
            "metrics": ["ctr"],
            "dimensions": [{"name": "algorithm"}, {"name": "customer_type"}],
            "filters": [
                {"dimension": "customer_type", "operator": "in", "values": ["New", "Repeat"]}
            ],
        },
    ),
    (
        "What's the average order value of orders that came through a recommendation?",
        {"metrics": ["aov"]},
    ),
    (
        "conversion rate in Q4",
        {
            "metrics": ["conversion_rate"],
            "time_range": {"start": "2026-10-01", "end": "2026-12-31"},
        },
    ),
    (
        "revenue on black friday",
        {"metrics": ["revenue"], "time_range": {"start": "2026-11-27", "end": "2026-11-27"}},
    ),
    (
        "accesories ctr by algo",
        {
            "metrics": ["ctr"],
            "dimensions": [{"name": "algorithm"}],
            "filters": [{"dimension": "category", "values": ["Accessories"]}],
        },
    ),
    (
        "cvr by placment last mnth",
        {
            "metrics": ["conversion_rate"],
            "dimensions": [{"name": "placement"}],
            "time_range": {"start": "2026-11-01", "end": "2026-11-30"},
        },
    ),
]


@pytest.mark.parametrize(("question", "expected"), READINGS, ids=[q for q, _ in READINGS])
def test_a_question_is_read_as_the_query_an_analyst_means(
    question: str, expected: dict[str, Any], context: PlanContext
) -> None:
    assert plan(question, context) == expected


def test_the_article_question_compares_the_two_algorithms_inside_the_segment(
    context: PlanContext,
) -> None:
    query = plan(
        "Is the neural model beating collaborative filtering for high-value customers "
        "on outerwear?",
        context,
    )
    assert query["dimensions"] == [{"name": "algorithm"}]
    assert {"dimension": "clv_tier", "values": ["High-Value"]} in query["filters"]
    assert {"dimension": "category", "values": ["Outerwear"]} in query["filters"]
    assert "ctr" in query["metrics"]


REFUSALS = [
    ("what's the weather", "weather"),
    ("?!?!", "no words"),
    ("Set the neural network's traffic share to 80%", "only reads"),
    ("profit by supplier", "profit"),
    ("ctr by supplier", "supplier"),
    ("delete all clicks", "only reads"),
    ("ctr for email", "could mean"),
    ("show me the numbers", "Which metric"),
    ("", "empty"),
    ("ctr " * 600, "limit"),
]


@pytest.mark.parametrize(("question", "says"), REFUSALS, ids=[q[:30] for q, _ in REFUSALS])
def test_a_question_it_cannot_map_is_refused_with_what_would_work(
    question: str, says: str, context: PlanContext
) -> None:
    with pytest.raises(PlanningError) as refusal:
        BuiltinPlanner().plan(question, context)
    assert says in str(refusal.value)


def test_a_follow_up_without_a_metric_refines_the_previous_query(context: PlanContext) -> None:
    previous = SemanticQuery(metrics=["ctr"], dimensions=["algorithm"])
    follow = PlanContext(context.model, VALUES, AS_OF, context.data_range, previous)
    query = BuiltinPlanner().plan("now only for shoes, by week", follow).query
    assert query.metrics == ["ctr"]
    assert [d.column for d in query.dimensions] == ["algorithm", "date_week"]
    assert [(f.dimension, f.values) for f in query.filters] == [("category", ["Shoes"])]
