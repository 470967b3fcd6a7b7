"""The explanation states what the numbers say, and every number in it was computed."""

from __future__ import annotations

import math
import re
from datetime import date
from itertools import pairwise
from typing import Any

import pytest

from recsight.answering.answer import Answer
from recsight.answering.ask import answer_query
from recsight.answering.formatting import format_difference, format_percent, format_value
from recsight.engine import Engine
from semantic_layer.query import SemanticQuery

SPAN = {"start": "2026-09-01", "end": "2026-11-30"}
# Hand-written CTR: each count by its own event time, as the model defines it (a click made just
# after midnight on the last day falls outside the range even if its impression does not).
IN_SPAN = "{column} >= '2026-09-01' AND {column} < '2026-12-01'"
CTR_BY_ALGORITHM = f"""
    WITH shown AS (
        SELECT algorithm, COUNT(*) AS impressions FROM impressions
        WHERE {IN_SPAN.format(column="impression_ts")} GROUP BY 1
    ), clicked AS (
        SELECT i.algorithm, COUNT(*) AS clicks
        FROM clicks c JOIN impressions i ON i.impression_id = c.impression_id
        WHERE {IN_SPAN.format(column="c.click_ts")} GROUP BY 1
    )
    SELECT algorithm, COALESCE(clicks, 0), impressions
    FROM shown LEFT JOIN clicked USING (algorithm)
"""


def ask(engine: Engine, **query: Any) -> Answer:
    return answer_query(engine, SemanticQuery.model_validate(query))


def sql(engine: Engine, text: str) -> list[tuple[Any, ...]]:
    return engine.warehouse.run(text).rows


@pytest.fixture(scope="module")
def ctr_by_algorithm(engine: Engine) -> Answer:
    return ask(engine, metrics=["ctr"], dimensions=["algorithm"], time_range=SPAN)


@pytest.fixture(scope="module")
def hand_ctr(engine: Engine) -> dict[str, tuple[int, int]]:
    return {row[0]: (row[1], row[2]) for row in sql(engine, CTR_BY_ALGORITHM)}


def test_the_leader_and_its_gap_equal_hand_computed_sql(
    ctr_by_algorithm: Answer, hand_ctr: dict[str, tuple[int, int]]
) -> None:
    rates = sorted(((c / n, name) for name, (c, n) in hand_ctr.items()), reverse=True)
    (top, leader), (second, runner_up) = rates[0], rates[1]
    facts = ctr_by_algorithm.facts

    assert (facts["leader"], facts["runner_up"]) == (leader, runner_up)
    assert facts["leader_value"] == pytest.approx(top)
    assert facts["gap"] == pytest.approx(top - second)
    assert facts["gap_relative"] == pytest.approx((top - second) / second)
    first = ctr_by_algorithm.explanation[0]
    assert first.startswith(f"{leader} leads on CTR at {format_value(top, 'percent')}")
    assert format_difference(top - second, "percent") in first
    assert format_percent((top - second) / second) in first


def test_neural_network_beats_collaborative_filtering_significantly_at_scale_1(
    ctr_by_algorithm: Answer, hand_ctr: dict[str, tuple[int, int]]
) -> None:
    facts = ctr_by_algorithm.facts
    (nn_clicks, nn_shown), (cf_clicks, cf_shown) = (
        hand_ctr["Neural Network"],
        hand_ctr["Collaborative Filtering"],
    )
    pooled = (nn_clicks + cf_clicks) / (nn_shown + cf_shown)
    z = (nn_clicks / nn_shown - cf_clicks / cf_shown) / math.sqrt(
        pooled * (1 - pooled) * (1 / nn_shown + 1 / cf_shown)
    )

    assert (facts["leader"], facts["runner_up"]) == ("Neural Network", "Collaborative Filtering")
    assert facts["leader_numerator"] == nn_clicks and facts["leader_denominator"] == nn_shown
    assert facts["runner_up_numerator"] == cf_clicks
    assert facts["z"] == pytest.approx(z, abs=0.01)
    assert facts["significance"] == "significant"
    assert any("is statistically significant" in s for s in ctr_by_algorithm.explanation)
    assert not any(c.startswith("Small sample") for c in ctr_by_algorithm.caveats)


def test_a_tiny_slice_warns_that_its_sample_is_small(engine: Engine) -> None:
    placement = str(engine.dimension_values("placement")[-1][0])
    answer = ask(
        engine,
        metrics=["ctr"],
        dimensions=["algorithm"],
        filters=[
            {"dimension": "placement", "values": [placement]},
            {"dimension": "device", "values": ["Tablet"]},
        ],
        time_range={"start": "2026-11-20", "end": "2026-11-20"},
    )

    assert answer.facts["thin_groups"] >= 1
    warning = next(c for c in answer.caveats if c.startswith("Small sample"))
    assert "impressions" in warning and "swings widely" in warning


def test_the_mix_check_reports_neural_networks_higher_repeat_share(
    engine: Engine, ctr_by_algorithm: Answer
) -> None:
    shares = {
        (row[0], row[1]): row[2]
        for row in sql(
            engine,
            """SELECT i.algorithm, c.customer_type,
                      COUNT(*) / SUM(COUNT(*)) OVER (PARTITION BY i.algorithm)
               FROM impressions i LEFT JOIN customers c ON c.customer_id = i.customer_id
               GROUP BY 1, 2""",
        )
    }
    nn, cf = shares[("Neural Network", "Repeat")], shares[("Collaborative Filtering", "Repeat")]
    facts = ctr_by_algorithm.facts

    assert nn > cf
    assert facts["mix.customer_type.Repeat.Neural Network.share"] == pytest.approx(nn)
    assert facts["mix.customer_type.Repeat.Collaborative Filtering.share"] == pytest.approx(cf)
    expected = (
        f"Neural Network's impressions are {format_percent(nn, digits=0)} Repeat vs "
        f"{format_percent(cf, digits=0)} for Collaborative Filtering."
    )
    assert expected in ctr_by_algorithm.explanation


def test_the_mix_check_finds_the_lead_holds_inside_every_segment(
    engine: Engine, ctr_by_algorithm: Answer
) -> None:
    inside = sql(
        engine,
        f"""WITH shown AS (
                SELECT c.customer_type, c.clv_tier, i.algorithm, COUNT(*) AS n
                FROM impressions i JOIN customers c ON c.customer_id = i.customer_id
                WHERE {IN_SPAN.format(column="i.impression_ts")} GROUP BY ALL
            ), clicked AS (
                SELECT c.customer_type, c.clv_tier, i.algorithm, COUNT(*) AS k
                FROM clicks k JOIN impressions i ON i.impression_id = k.impression_id
                JOIN customers c ON c.customer_id = i.customer_id
                WHERE {IN_SPAN.format(column="k.click_ts")} GROUP BY ALL
            ), cells AS (
                SELECT * FROM shown JOIN clicked USING (customer_type, clv_tier, algorithm)
            )
            SELECT customer_type, NULL, algorithm, SUM(k) / SUM(n) FROM cells GROUP BY 1, 3
            UNION ALL
            SELECT NULL, clv_tier, algorithm, SUM(k) / SUM(n) FROM cells GROUP BY 2, 3""",
    )
    best: dict[str, tuple[float, str]] = {}
    for customer_type, clv_tier, algorithm, ctr in inside:
        segment = customer_type or clv_tier
        best[segment] = max(best.get(segment, (0.0, "")), (ctr, algorithm))

    assert {algorithm for _, algorithm in best.values()} == {"Neural Network"}
    assert ctr_by_algorithm.facts["mix.holds"] is True
    assert ctr_by_algorithm.facts["mix.checked"] == ["customer type", "CLV tier"]
    verdict = ctr_by_algorithm.explanation[-1]
    assert verdict.startswith(
        "Neural Network leads on CTR inside every customer type and CLV tier segment, "
        "so the gap is not just its audience"
    )


def test_a_top_1_answer_still_compares_the_winner_with_the_runner_up(engine: Engine) -> None:
    answer = ask(
        engine,
        metrics=["ctr"],
        dimensions=["algorithm"],
        filters=[{"dimension": "clv_tier", "values": ["High-Value"]}],
        order_by=["-ctr"],
        limit=1,
    )

    assert [row[0] for row in answer.rows] == ["Neural Network"]
    assert answer.facts["runner_up"] == "Collaborative Filtering"
    assert answer.facts["significance"] == "significant"


def test_a_single_rate_states_its_counts_and_margin(engine: Engine) -> None:
    answer = ask(engine, metrics=["ctr"], time_range=SPAN)
    clicks, impressions = sql(
        engine,
        f"""SELECT (SELECT COUNT(*) FROM clicks WHERE {IN_SPAN.format(column="click_ts")}),
                   (SELECT COUNT(*) FROM impressions
                    WHERE {IN_SPAN.format(column="impression_ts")})""",
    )[0]

    assert answer.facts["numerator"] == clicks and answer.facts["denominator"] == impressions
    assert answer.explanation[0] == f"CTR was {format_value(clicks / impressions, 'percent')}."
    assert answer.explanation[1].startswith(f"That is {clicks:,} clicks on {impressions:,}")


def test_a_weekly_trend_reports_first_and_last_weeks_and_the_biggest_move(engine: Engine) -> None:
    weeks = {"start": "2026-09-07", "end": "2026-11-29"}  # Monday to Sunday: whole weeks
    answer = ask(engine, metrics=["ctr"], dimensions=["date:week"], time_range=weeks)
    series = sql(
        engine,
        """WITH shown AS (
               SELECT date_trunc('week', impression_ts)::DATE AS week, COUNT(*) AS n
               FROM impressions
               WHERE impression_ts >= '2026-09-07' AND impression_ts < '2026-11-30' GROUP BY 1
           ), clicked AS (
               SELECT date_trunc('week', click_ts)::DATE AS week, COUNT(*) AS k FROM clicks
               WHERE click_ts >= '2026-09-07' AND click_ts < '2026-11-30' GROUP BY 1
           )
           SELECT week, k / n FROM shown JOIN clicked USING (week) ORDER BY week""",
    )
    moves = [b[1] - a[1] for a, b in pairwise(series)]
    facts = answer.facts

    assert facts["period_count"] == len(series) == 12
    assert facts["first_value"] == pytest.approx(series[0][1])
    assert facts["last_value"] == pytest.approx(series[-1][1])
    assert facts["biggest_change"] == pytest.approx(max(moves, key=abs))
    verb = "rose" if series[-1][1] > series[0][1] else "fell"
    assert answer.explanation[0].startswith(
        f"CTR {verb} from {format_value(series[0][1], 'percent')}"
    )
    assert not answer.caveats


def test_weeks_cut_by_the_time_range_are_called_partial_and_left_out_of_the_trend(
    engine: Engine,
) -> None:
    answer = ask(engine, metrics=["clicks"], dimensions=["date:week"], time_range=SPAN)

    assert answer.caveats == [
        "The week of 31 Aug 2026 is partial (only 2026-09-01 to 2026-09-06 falls inside the "
        "time range and the data), so the trend compares whole weeks only.",
        "The week of 30 Nov 2026 is partial (only 2026-11-30 falls inside the time range and "
        "the data), so the trend compares whole weeks only.",
    ]
    assert answer.facts["first_period"] == "2026-09-07"
    assert answer.facts["last_period"] == "2026-11-23"
    assert answer.facts["period_count"] == 12
    assert len(answer.rows) == 14


NUMBER = r"[−+-]?\$?\d[\d,]*(?:\.\d+)?%?"


def _renderings(facts: dict[str, Any]) -> set[str]:
    """Every way the explainer may print a fact's value."""
    shown: set[str] = set()
    for value in facts.values():
        if isinstance(value, bool) or not isinstance(value, int | float):
            if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                day = date.fromisoformat(value)
                shown |= {value, str(day.day), str(day.year), *value.split("-")}
            continue
        for unit in ("percent", "currency", "count", "number"):
            shown.add(format_value(value, unit))
            shown.add(format_difference(abs(value), unit).split(" ")[0])
        shown |= {format_percent(abs(value), digits=d) for d in (0, 1)}
        shown |= {f"{value:.2f}", f"{value:.3f}", f"{value:,}", str(value)}
        # close values told apart with more digits
        shown |= {f"${value:,.{d}f}" for d in (2, 3, 4, 5)}
        shown |= {f"{value * 100:.{d}f}%" for d in (3, 4, 5, 6)}
    return shown


@pytest.mark.parametrize(
    "query",
    [
        {"metrics": ["ctr"], "dimensions": ["algorithm"]},
        {"metrics": ["conversion_rate"], "dimensions": ["placement"]},
        {"metrics": ["impressions", "clicks", "ctr", "revenue"], "dimensions": ["algorithm"]},
        {"metrics": ["ctr"], "dimensions": ["algorithm", "clv_tier"]},
        {"metrics": ["revenue"], "dimensions": ["date:month", "algorithm"]},
        {"metrics": ["aov"], "dimensions": ["category"]},
        {"metrics": ["novelty"]},
    ],
    ids=lambda q: " by ".join([",".join(q["metrics"]), ",".join(q.get("dimensions", []))]),
)
def test_every_number_in_the_explanation_is_a_recorded_fact(
    engine: Engine, query: dict[str, Any]
) -> None:
    answer = ask(engine, **query, time_range=SPAN)
    allowed = _renderings(answer.facts) | {"95%", "0.001"}
    text = " ".join(answer.explanation)

    assert answer.explanation
    stated = {n.lstrip("−+-").rstrip(",") for n in re.findall(NUMBER, text)}
    unexplained = {n for n in stated if n not in {a.lstrip("−+-") for a in allowed}}
    assert not unexplained, f"numbers with no fact behind them: {unexplained} in {text}"
