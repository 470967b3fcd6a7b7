"""The demo shop's customers.

Customers are laid out in blocks of positions, one block per (customer type, CLV tier) cell, each
ordered: A/B arm one, A/B arm two, holdout. An impression picks a position inside the part of a
block its stratum allows and turns it into a customer id with the same affine permutation used
here (the `customer_at` macro), so no impression ever needs a join against the customers table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb

from recsight.warehouse.demo_sql import load_rows

HOLDOUT_SHARE = 0.05
CUSTOMERS_AT_SCALE_1 = 60_000


@dataclass(frozen=True)
class CustomerCell:
    """A (customer type, CLV tier) block of customers."""

    customer_type: str
    clv_tier: str
    population: float  # share of all customers
    buy_chance: float  # chance of at least one organic order over the 91 days


CUSTOMER_CELLS = (
    CustomerCell("New", "Low-Value", 0.425, 0.16),
    CustomerCell("New", "High-Value", 0.075, 0.34),
    CustomerCell("Repeat", "Low-Value", 0.300, 0.30),
    CustomerCell("Repeat", "High-Value", 0.200, 0.52),
)


def customer_count(scale: float) -> int:
    """Customers grow with traffic, so impressions and orders per customer stay the same."""
    return max(CUSTOMERS_AT_SCALE_1, round(CUSTOMERS_AT_SCALE_1 * scale))


def coprime_step(modulus: int, seed: int) -> int:
    """A multiplier coprime with `modulus`, so `position * step mod modulus` is a permutation."""
    step = int(modulus * 0.6180339887) + seed
    while math.gcd(step, modulus) != 1:
        step += 1
    return step


def build_customers(con: duckdb.DuckDBPyConnection, count: int) -> None:
    """Create `customers` and the temp `customer_cells` layout impressions draw from."""
    rows: list[dict[str, object]] = []
    first = 0
    for index, cell in enumerate(CUSTOMER_CELLS):
        last = index == len(CUSTOMER_CELLS) - 1
        size = count - first if last else round(count * cell.population)
        treatment = size - round(size * HOLDOUT_SHARE)
        rows.append(
            {"customer_type": cell.customer_type, "clv_tier": cell.clv_tier,
             "first_position": first, "size": size, "treatment": treatment,
             "arm_one": treatment // 2, "buy_chance": cell.buy_chance}
        )  # fmt: skip
        first += size
    load_rows(con, "customer_cells", rows)
    con.execute(CUSTOMERS_SQL)


CUSTOMERS_SQL = """
CREATE TABLE customers AS
WITH placed AS (
    SELECT
        customer_at(cell.first_position + r.j) AS customer_id,
        cell.customer_type,
        cell.clv_tier,
        CASE WHEN r.j < cell.treatment THEN 'treatment' ELSE 'holdout' END AS experiment_group
    FROM customer_cells AS cell, range(cell.size) AS r(j)
)
SELECT
    customer_id,
    customer_type,
    clv_tier,
    pick(draw(customer_id, 'channel'),
         ['Paid Search', 'Organic Search', 'Social', 'Email', 'Direct', 'Affiliate'],
         [0.26, 0.50, 0.66, 0.76, 0.92]) AS acquisition_channel,
    pick(draw(customer_id, 'region'),
         ['Northeast', 'Midwest', 'South', 'West'], [0.19, 0.40, 0.77]) AS region,
    -- new customers joined shortly before the span, so nobody is shown anything before signing up
    getvariable('start_date') - CASE customer_type
        WHEN 'New' THEN 1 + floor(120 * draw(customer_id, 'signup'))
        ELSE 45 + floor(1400 * draw(customer_id, 'signup'))
    END::INTEGER AS signup_date,
    experiment_group
FROM placed
ORDER BY customer_id
"""
