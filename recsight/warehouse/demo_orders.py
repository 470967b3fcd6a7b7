"""Orders: conversions of recommendation clicks, organic orders, their lines, and bestsellers.

Conversions are chosen by systematic sampling over the clicks: each click gets a conversion chance
from its segment and placement, scaled so an algorithm's chances sum to its target, and a running
total of the chances decides which clicks convert. Prices are list prices after a per-order promo,
then scaled per algorithm so attributed revenue lands on its target to the cent.
"""

from __future__ import annotations

import duckdb

from recsight.warehouse.demo_products import CATALOG

TOP_SELLER_SHARE = 0.10


def build_orders(con: duckdb.DuckDBPyConnection) -> None:
    total = sum(cat.products for cat in CATALOG)
    shares = [cat.products / total for cat in CATALOG]
    bounds = [sum(shares[: k + 1]) for k in range(len(shares) - 1)]
    con.execute("SET VARIABLE category_bounds = ?::DOUBLE[]", [bounds])
    for sql in (CONVERTED_SQL, ORDER_HEADS_SQL, ORDER_LINES_SQL, ORDER_ITEMS_SQL, ORDERS_SQL):
        con.execute(sql)


def mark_top_sellers(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(TOP_SELLERS_SQL, [TOP_SELLER_SHARE])


# Weights are whole numbers (millionths) so running totals are exact whatever order DuckDB adds
# them in: the same clicks convert on every build.
CONVERTED_SQL = """
CREATE TEMP TABLE converted AS
WITH weighted AS (
    SELECT
        c.*,
        a.conversions,
        round(1e6 * ct.cvr * cl.cvr * p.cvr * dv.cvr)::BIGINT AS weight,
        hash(c.click_id, getvariable('seed')) AS shuffle
    FROM clicked AS c
    JOIN algorithm_targets AS a USING (algorithm)
    JOIN type_mix AS ct USING (algorithm, customer_type)
    JOIN clv_mix AS cl USING (algorithm, clv_tier)
    JOIN placement_cvr AS p USING (placement)
    JOIN device_cvr AS dv USING (device)
), running AS (
    SELECT
        *,
        sum(weight) OVER by_algorithm AS running_weight,
        sum(weight) OVER (PARTITION BY algorithm) AS total_weight
    FROM weighted
    WINDOW by_algorithm AS (PARTITION BY algorithm ORDER BY shuffle, click_id
                            ROWS UNBOUNDED PRECEDING)
), decided AS (
    -- a click's chance is its share of the algorithm's weight times the conversion target
    SELECT
        *,
        share_out(running_weight * conversions / total_weight,
                  (running_weight - weight) * conversions / total_weight,
                  0.25 + 0.5 * draw(algorithm, 'conversions')) AS converts
    FROM running
)
SELECT click_id, click_ts, impression_id, customer_id, clv_tier, algorithm, rec_type, product_id
FROM decided
WHERE converts = 1
"""

# Attributed orders follow their click by minutes to hours; organic orders come from every
# customer, holdout included, at a rate set by their cell, on the shop's daily and hourly rhythm.
ORDER_HEADS_SQL = """
CREATE TEMP TABLE order_heads AS
WITH attributed AS (
    SELECT
        customer_id,
        click_ts + to_seconds(least(
            delay_seconds(draw(click_id, 'order delay'), 120, 2400, 5 * 3600),
            date_diff('second', click_ts, getvariable('end_ts'))
        )) AS order_ts,
        impression_id,
        algorithm,
        rec_type,
        product_id AS recommended_product,
        clv_tier,
        click_id AS draw_key
    FROM converted
), organic_keys AS (
    SELECT c.customer_id, c.clv_tier, 4 * c.customer_id + r.k AS draw_key
    FROM customers AS c
    JOIN customer_cells AS cell USING (customer_type, clv_tier)
    CROSS JOIN range(3) AS r(k)
    WHERE draw(4 * c.customer_id + r.k, 'organic') < cell.buy_chance * [1.0, 0.45, 0.2][r.k + 1]
), organic AS (
    SELECT
        o.customer_id,
        make_timestamp(epoch_us(d.day::TIMESTAMP) + 1000000::BIGINT * (
            3600 * getvariable('hour_lookup')[1 + floor(1024 * draw(o.draw_key, 'hour'))::INTEGER]
            + floor(3600 * draw(o.draw_key, 'second'))::INTEGER
        )) AS order_ts,
        NULL::BIGINT AS impression_id,
        NULL::VARCHAR AS algorithm,
        NULL::VARCHAR AS rec_type,
        NULL::INTEGER AS recommended_product,
        o.clv_tier,
        -draw_key AS draw_key
    FROM (SELECT *, draw(draw_key, 'day') AS u FROM organic_keys) AS o
    ASOF JOIN days AS d ON o.u >= d.share_before
), heads AS (
    SELECT * FROM attributed UNION ALL SELECT * FROM organic
)
SELECT
    row_number() OVER (ORDER BY order_ts, draw_key) AS order_id,
    *,
    -- extra lines beyond the first: cross-sells fill baskets, upsells are one bigger item, and
    -- high-value customers buy more
    CASE rec_type
        WHEN 'Cross-sell' THEN (draw(draw_key, 'extra 1') < 0.40)::INTEGER
        WHEN 'Upsell' THEN (draw(draw_key, 'extra 1') < 0.08)::INTEGER
        WHEN 'Similar Items' THEN (draw(draw_key, 'extra 1') < 0.15)::INTEGER
        ELSE (draw(draw_key, 'extra 1') < 0.20)::INTEGER
    END + (clv_tier = 'High-Value' AND draw(draw_key, 'extra 2') < 0.25)::INTEGER AS extra_lines,
    -- a promo code on a third of orders; decimal, so basket sums stay exact
    pick(draw(draw_key, 'promo'), [1.00, 0.90, 0.80], [0.65, 0.90]) AS promo
FROM heads
"""

ORDER_LINES_SQL = """
CREATE TEMP TABLE order_lines AS
WITH lines AS (
    SELECT h.order_id, h.algorithm, h.promo, h.recommended_product,
           (r.line + 1)::INTEGER AS line_number,
           hash(h.order_id, r.line, getvariable('seed')) AS key
    FROM order_heads AS h, range(1 + h.extra_lines) AS r(line)
), placed AS (
    -- lines other than the recommended product: a category by catalog size, then a product
    -- skewed to its bestsellers (pool 0 of the category: the whole range, discontinued included)
    SELECT
        *,
        3 * pick(draw(key, 'category'), range(len(getvariable('category_names'))),
                 getvariable('category_bounds')) AS pool_id
    FROM lines
), ranked AS (
    SELECT l.*, floor(s.size * pow(draw(l.key, 'product'), 2.2))::BIGINT AS rank
    FROM placed AS l JOIN pool_size AS s USING (pool_id)
)
SELECT
    b.order_id, b.line_number, b.algorithm, b.promo,
    coalesce(CASE WHEN b.line_number = 1 THEN b.recommended_product END, p.product_id)
        AS product_id,
    CASE WHEN b.line_number = 1 AND b.recommended_product IS NOT NULL THEN 1
         ELSE 1 + (draw(b.key, 'quantity') < 0.12)::INTEGER END AS quantity
FROM ranked AS b
JOIN product_pool AS p USING (pool_id, rank)
"""

ORDER_ITEMS_SQL = """
CREATE TABLE order_items AS
WITH listed AS (
    SELECT l.*, pr.price * l.promo AS promo_price
    FROM order_lines AS l JOIN products AS pr USING (product_id)
), factors AS (
    -- exact decimal sums, so the factor (and every price) is the same on every build
    SELECT l.algorithm, a.revenue / sum(l.quantity * l.promo_price) AS factor
    FROM listed AS l JOIN algorithm_targets AS a USING (algorithm)
    GROUP BY l.algorithm, a.revenue
), priced AS (
    SELECT
        l.order_id, l.line_number, l.product_id, l.quantity::INTEGER AS quantity,
        round(l.promo_price * coalesce(f.factor, 1), 2)::DECIMAL(10, 2) AS unit_price
    FROM listed AS l LEFT JOIN factors AS f USING (algorithm)
)
SELECT *, (quantity * unit_price)::DECIMAL(12, 2) AS amount
FROM priced
ORDER BY order_id, line_number;

-- Rounding to cents leaves each algorithm a few cents off its revenue target: put the
-- difference on the first line (always quantity 1) of the algorithm's first order.
UPDATE order_items
SET unit_price = unit_price + fix.residual, amount = amount + fix.residual
FROM (
    SELECT
        min(i.order_id) AS order_id,
        any_value(a.revenue)::DECIMAL(14, 2) - sum(i.amount) AS residual
    FROM order_items AS i
    JOIN order_heads AS h USING (order_id)
    JOIN algorithm_targets AS a USING (algorithm)
    GROUP BY h.algorithm
) AS fix
WHERE order_items.order_id = fix.order_id AND order_items.line_number = 1;
"""

ORDERS_SQL = """
CREATE TABLE orders AS
SELECT
    h.order_id,
    h.customer_id,
    h.order_ts,
    h.impression_id,
    sum(i.amount)::DECIMAL(12, 2) AS order_total,
    sum(i.quantity)::INTEGER AS item_count
FROM order_heads AS h
JOIN order_items AS i USING (order_id)
GROUP BY h.order_id, h.customer_id, h.order_ts, h.impression_id
ORDER BY h.order_id
"""

TOP_SELLERS_SQL = """
UPDATE products SET is_top_seller = TRUE
WHERE product_id IN (
    SELECT product_id
    FROM (
        SELECT
            p.product_id,
            row_number() OVER (ORDER BY coalesce(sum(i.quantity), 0) DESC, p.product_id) AS place
        FROM products AS p LEFT JOIN order_items AS i USING (product_id)
        GROUP BY p.product_id
    )
    WHERE place <= round($1 * (SELECT count(*) FROM products))
)
"""
