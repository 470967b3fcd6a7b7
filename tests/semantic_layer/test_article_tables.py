"""The reference article's dashboard, read through the real `recsight query --format json`.

Layer 1 (by algorithm): counts and revenue within 1%, CTR and conversion rate within 0.02
percentage points. Layers 2 and 3 (CTR by algorithm x segment and x category): within 0.1 points.
Over the whole 91-day span of the scale-1 demo warehouse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ALGORITHMS = ("Collaborative Filtering", "Content-Based", "Neural Network")

# Algorithm -> impressions, clicks, CTR %, conversions, conversion rate %, revenue.
LAYER_1 = {
    "Collaborative Filtering": (1_200_000, 28_400, 2.37, 3_420, 12.04, 184_000),
    "Content-Based": (980_000, 19_600, 2.00, 2_254, 11.50, 128_000),
    "Neural Network": (1_100_000, 38_500, 3.50, 5_082, 13.20, 312_000),
}
# CTR % by (algorithm, segment value), Layer 2.
LAYER_2 = {
    "customer_type": {
        "Collaborative Filtering": {"New": 1.8, "Repeat": 2.8},
        "Content-Based": {"New": 1.5, "Repeat": 2.3},
        "Neural Network": {"New": 3.2, "Repeat": 3.6},
    },
    "clv_tier": {
        "Collaborative Filtering": {"High-Value": 2.9, "Low-Value": 2.1},
        "Content-Based": {"High-Value": 2.1, "Low-Value": 1.9},
        "Neural Network": {"High-Value": 3.8, "Low-Value": 3.2},
    },
}
# CTR % by (algorithm, category), Layer 3.
LAYER_3 = {
    "Collaborative Filtering": {"Dresses": 2.1, "Outerwear": 2.6, "Accessories": 2.8, "Shoes": 2.3},
    "Content-Based": {"Dresses": 1.9, "Outerwear": 2.2, "Accessories": 2.4, "Shoes": 1.7},
    "Neural Network": {"Dresses": 3.1, "Outerwear": 3.8, "Accessories": 3.6, "Shoes": 3.4},
}


def query_json(cli: Any, warehouse: Path, *args: str) -> dict[str, Any]:
    done = cli("query", "--warehouse", str(warehouse), "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert isinstance(payload, dict)
    return payload


def rows_by(payload: dict[str, Any], *keys: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    rows = [dict(zip(payload["columns"], row, strict=True)) for row in payload["rows"]]
    return {tuple(row[k] for k in keys): row for row in rows}


def test_layer_1_by_algorithm_matches_the_article(recsight_cli: Any, demo_warehouse: Path) -> None:
    metrics = "impressions,clicks,ctr,conversions,conversion_rate,revenue"
    payload = query_json(recsight_cli, demo_warehouse, "-m", metrics, "--by", "algorithm")

    assert payload["columns"] == ["algorithm", *metrics.split(",")]
    table = rows_by(payload, "algorithm")
    assert sorted(k[0] for k in table) == sorted(ALGORITHMS)
    for algorithm, (impressions, clicks, ctr, conversions, rate, revenue) in LAYER_1.items():
        row = table[(algorithm,)]
        assert row["impressions"] == pytest.approx(impressions, rel=0.01), algorithm
        assert row["clicks"] == pytest.approx(clicks, rel=0.01), algorithm
        assert row["conversions"] == pytest.approx(conversions, rel=0.01), algorithm
        assert row["revenue"] == pytest.approx(revenue, rel=0.01), algorithm
        assert 100 * row["ctr"] == pytest.approx(ctr, abs=0.02), algorithm
        assert 100 * row["conversion_rate"] == pytest.approx(rate, abs=0.02), algorithm


@pytest.mark.parametrize("segment", sorted(LAYER_2))
def test_layer_2_ctr_by_algorithm_and_segment_matches_the_article(
    recsight_cli: Any, demo_warehouse: Path, segment: str
) -> None:
    payload = query_json(recsight_cli, demo_warehouse, "-m", "ctr", "--by", f"algorithm,{segment}")

    table = rows_by(payload, "algorithm", segment)
    for algorithm, expected in LAYER_2[segment].items():
        for value, ctr in expected.items():
            assert 100 * table[(algorithm, value)]["ctr"] == pytest.approx(ctr, abs=0.1), (
                algorithm,
                value,
            )


def test_layer_3_ctr_by_algorithm_and_category_matches_the_article(
    recsight_cli: Any, demo_warehouse: Path
) -> None:
    payload = query_json(recsight_cli, demo_warehouse, "-m", "ctr", "--by", "algorithm,category")

    table = rows_by(payload, "algorithm", "category")
    assert len(table) == 12
    for algorithm, expected in LAYER_3.items():
        for category, ctr in expected.items():
            assert 100 * table[(algorithm, category)]["ctr"] == pytest.approx(ctr, abs=0.1), (
                algorithm,
                category,
            )


@pytest.mark.parametrize(
    ("segment", "higher_intent", "other"),
    [("clv_tier", "High-Value", "Low-Value"), ("customer_type", "Repeat", "New")],
)
def test_the_neural_network_is_shown_more_to_higher_intent_customers(
    recsight_cli: Any, demo_warehouse: Path, segment: str, higher_intent: str, other: str
) -> None:
    # The article's question - better, or shown to higher-intent shoppers? - needs this skew.
    payload = query_json(
        recsight_cli, demo_warehouse, "-m", "impressions", "--by", f"algorithm,{segment}"
    )
    table = rows_by(payload, "algorithm", segment)

    def share(algorithm: str) -> float:
        high = table[(algorithm, higher_intent)]["impressions"]
        return float(high / (high + table[(algorithm, other)]["impressions"]))

    neural = share("Neural Network")
    assert neural > share("Collaborative Filtering") + 0.03
    assert neural > share("Content-Based") + 0.03
