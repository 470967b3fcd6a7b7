"""The benchmark's queries: a semantic query and the SQL an analyst would write for the same rows.

The hand-written SQL is the shortest correct SQL for the demo schema, using what a person knows
about the data (at most one click per impression, so one LEFT JOIN counts both), and returns the
same rows in the same order as the compiled query; the benchmark checks that before timing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}
LAYER_1 = ["impressions", "clicks", "ctr", "conversions", "conversion_rate", "revenue"]
IN_NOVEMBER = "BETWEEN TIMESTAMP '2026-11-01' AND TIMESTAMP '2026-11-30 23:59:59.999999'"


@dataclass(frozen=True)
class BenchQuery:
    name: str
    query: dict[str, Any]
    hand_sql: str


BENCH_QUERIES = [
    BenchQuery(
        "impressions overall",
        {"metrics": ["impressions"]},
        "SELECT count(*) FROM impressions",
    ),
    BenchQuery(
        "article layer 1 by algorithm",
        {"metrics": LAYER_1, "dimensions": ["algorithm"]},
        """
        WITH shown AS (
            SELECT i.algorithm, count(*) AS impressions, count(c.click_id) AS clicks
            FROM impressions i LEFT JOIN clicks c ON c.impression_id = i.impression_id
            GROUP BY i.algorithm
        ), converted AS (
            SELECT i.algorithm, count(*) AS conversions, sum(o.order_total) AS revenue
            FROM orders o JOIN impressions i ON i.impression_id = o.impression_id
            GROUP BY i.algorithm
        )
        SELECT algorithm, impressions, clicks, clicks / impressions,
            conversions, conversions / clicks, revenue
        FROM shown LEFT JOIN converted USING (algorithm)
        ORDER BY algorithm""",
    ),
    BenchQuery(
        "ctr by algorithm x customer_type",
        {"metrics": ["ctr"], "dimensions": ["algorithm", "customer_type"]},
        """
        SELECT i.algorithm, cu.customer_type, count(c.click_id) / count(*)
        FROM impressions i
        LEFT JOIN customers cu ON cu.customer_id = i.customer_id
        LEFT JOIN clicks c ON c.impression_id = i.impression_id
        GROUP BY ALL ORDER BY 1, 2 NULLS LAST""",
    ),
    BenchQuery(
        "ctr by algorithm x category",
        {"metrics": ["ctr"], "dimensions": ["algorithm", "category"]},
        """
        SELECT i.algorithm, p.category, count(c.click_id) / count(*)
        FROM impressions i
        JOIN products p ON p.product_id = i.product_id
        LEFT JOIN clicks c ON c.impression_id = i.impression_id
        GROUP BY ALL ORDER BY 1, 2""",
    ),
    BenchQuery(
        "ctr by week in November",
        {"metrics": ["ctr"], "dimensions": ["date:week"], "time_range": NOVEMBER},
        f"""
        WITH shown AS (
            SELECT date_trunc('week', impression_ts)::DATE AS week, count(*) AS n
            FROM impressions WHERE impression_ts {IN_NOVEMBER} GROUP BY 1
        ), clicked AS (
            SELECT date_trunc('week', click_ts)::DATE AS week, count(*) AS n
            FROM clicks WHERE click_ts {IN_NOVEMBER} GROUP BY 1
        )
        SELECT week, coalesce(clicked.n, 0) / shown.n
        FROM shown FULL JOIN clicked USING (week) ORDER BY week""",
    ),
    BenchQuery(
        "revenue_per_impression by placement",
        {"metrics": ["revenue_per_impression"], "dimensions": ["placement"]},
        """
        WITH shown AS (SELECT placement, count(*) AS n FROM impressions GROUP BY 1),
        earned AS (
            SELECT i.placement, sum(o.order_total) AS revenue
            FROM orders o JOIN impressions i ON i.impression_id = o.impression_id
            GROUP BY 1
        )
        SELECT placement, coalesce(revenue, 0) / n
        FROM shown LEFT JOIN earned USING (placement) ORDER BY placement""",
    ),
    BenchQuery(
        "aov by category",
        {"metrics": ["aov"], "dimensions": ["category"]},
        """
        SELECT p.category, sum(o.order_total) / count(*)
        FROM orders o
        JOIN impressions i ON i.impression_id = o.impression_id
        JOIN products p ON p.product_id = i.product_id
        GROUP BY 1 ORDER BY 1""",
    ),
    BenchQuery(
        "catalog_coverage by algorithm x category",
        {"metrics": ["catalog_coverage"], "dimensions": ["algorithm", "category"]},
        """
        WITH recommended AS (
            SELECT i.algorithm, p.category, count(DISTINCT i.product_id) AS n
            FROM impressions i JOIN products p ON p.product_id = i.product_id
            WHERE p.is_active
            GROUP BY 1, 2
        ), catalog AS (
            SELECT category, count(*) AS n FROM products WHERE is_active GROUP BY 1
        )
        SELECT algorithm, category, recommended.n / catalog.n
        FROM recommended LEFT JOIN catalog USING (category) ORDER BY 1, 2""",
    ),
    BenchQuery(
        "novelty by algorithm",
        {"metrics": ["novelty"], "dimensions": ["algorithm"]},
        """
        SELECT i.algorithm, count(*) FILTER (WHERE NOT p.is_top_seller) / count(*)
        FROM impressions i JOIN products p ON p.product_id = i.product_id
        GROUP BY 1 ORDER BY 1""",
    ),
    BenchQuery(
        "clicks, conversions by day, Shoes, November",
        {
            "metrics": ["clicks", "conversions"],
            "dimensions": ["date"],
            "where": "category = 'Shoes'",
            "time_range": NOVEMBER,
        },
        f"""
        WITH clicked AS (
            SELECT c.click_ts::DATE AS day, count(*) AS n
            FROM clicks c
            JOIN impressions i ON i.impression_id = c.impression_id
            JOIN products p ON p.product_id = i.product_id
            WHERE p.category = 'Shoes' AND c.click_ts {IN_NOVEMBER}
            GROUP BY 1
        ), converted AS (
            SELECT o.order_ts::DATE AS day, count(*) AS n
            FROM orders o
            JOIN impressions i ON i.impression_id = o.impression_id
            JOIN products p ON p.product_id = i.product_id
            WHERE p.category = 'Shoes' AND o.order_ts {IN_NOVEMBER}
            GROUP BY 1
        )
        SELECT day, coalesce(clicked.n, 0), coalesce(converted.n, 0)
        FROM clicked FULL JOIN converted USING (day) ORDER BY day""",
    ),
    BenchQuery(
        "units_sold by category",
        {"metrics": ["units_sold"], "dimensions": ["category"]},
        """
        SELECT p.category, sum(li.quantity)
        FROM order_items li JOIN products p ON p.product_id = li.product_id
        GROUP BY 1 ORDER BY 1""",
    ),
    BenchQuery(
        "ctr by model_version, Neural Network",
        {
            "metrics": ["ctr"],
            "dimensions": ["model_version"],
            "where": "algorithm = 'Neural Network'",
        },
        """
        SELECT i.model_version, count(c.click_id) / count(*)
        FROM impressions i LEFT JOIN clicks c ON c.impression_id = i.impression_id
        WHERE i.algorithm = 'Neural Network'
        GROUP BY 1 ORDER BY 1""",
    ),
]
