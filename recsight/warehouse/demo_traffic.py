"""Recommendation traffic: strata, impressions and clicks.

A stratum is one (algorithm, model version, customer type, CLV tier, category, day). Its impression
and click counts are expected values rounded along a running total, so each algorithm's totals are
exact and each segment's within one. Impressions are expanded from strata with `range()`, and a
stratum's clicks are spread evenly over its rows. Placement, device and slot are drawn per row
*after* the click is known, from lookups that give each level its traffic share and its CTR; so
no window function or sort ever runs over impressions.
"""

from __future__ import annotations

import duckdb

from recsight.warehouse.demo_targets import NN_TREND

# DuckDB runs a query on as many threads as its source table has row groups (122,880 rows), and
# the strata fill one; cutting them into about this many blocks lets impressions use every core.
BLOCKS = 500_000


def build_strata(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DAYS_SQL, list(NN_TREND))
    con.execute(STRATA_PLAN_SQL)
    con.execute(STRATA_SQL)


def build_impressions(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(ROW_BLOCKS_SQL, [BLOCKS])
    con.execute(IMPRESSION_DRAWS_SQL)
    con.execute(IMPRESSIONS_SQL)


def build_clicks(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(CLICKED_SQL)
    con.execute(CLICKS_SQL)


DAYS_SQL = """
CREATE TEMP TABLE days AS
WITH raw AS (
    SELECT
        d AS day_index,
        getvariable('start_date') + d::INTEGER AS day,
        -- weekday rhythm on a gentle 5% growth over the quarter
        getvariable('weekday_traffic')[isodow(getvariable('start_date') + d::INTEGER)]
            * (1 + 0.05 * d / (getvariable('span_days') - 1)) AS weight,
        $1 + ($2 - $1) * d / (getvariable('span_days') - 1) AS trend
    FROM range(getvariable('span_days')) AS r(d)
)
SELECT
    day_index,
    day,
    weight / sum(weight) OVER () AS share,
    (sum(weight) OVER (ORDER BY day_index) - weight) / sum(weight) OVER () AS share_before,
    -- scaled so the traffic-weighted mean is exactly 1: the trend moves no total
    trend * sum(weight) OVER () / sum(weight * trend) OVER () AS nn_trend
FROM raw
"""

STRATA_PLAN_SQL = """
CREATE TEMP TABLE strata_plan AS
SELECT
    a.algorithm_no, a.algorithm, v.model_version, v.arm, ct.customer_type, cl.clv_tier,
    cg.category, list_position(getvariable('category_names'), cg.category) - 1 AS category_no,
    8 * ct.level_no + 4 * cl.level_no + cg.level_no AS cell,
    d.day_index, d.day,
    a.impressions * ct.share * cl.share * cg.share * d.share * v.share AS expected_impressions,
    -- the additive segment model (percent), then the trend and the A/B variant (both mean 1)
    (ct.ctr + cl.ctr + cg.ctr - 2 * a.ctr) / 100
        * CASE WHEN a.trending THEN d.nn_trend ELSE 1 END * v.ctr AS ctr,
    a.clicks AS clicks_target,
    hash(a.algorithm, v.model_version, ct.customer_type, cl.clv_tier, cg.category, d.day_index,
         getvariable('seed')) AS salt
FROM algorithm_targets AS a
JOIN type_mix AS ct USING (algorithm)
JOIN clv_mix AS cl USING (algorithm)
JOIN category_mix AS cg USING (algorithm)
JOIN variant_mix AS v USING (algorithm)
JOIN days AS d ON v.in_test = (d.day >= getvariable('ab_test_start'))
"""

# Strata are rounded in (customer type, CLV tier, category) cells, shuffled inside each cell, so
# cell totals are exact to one and the days carry no rounding pattern.
STRATA_SQL = """
CREATE TEMP TABLE strata AS
WITH impressions_running AS (
    SELECT *, sum(expected_impressions) OVER by_cell AS running
    FROM strata_plan
    WINDOW by_cell AS (PARTITION BY algorithm ORDER BY cell, salt ROWS UNBOUNDED PRECEDING)
), impressions_counted AS (
    SELECT
        *,
        share_out(running, lag(running) OVER by_cell,
                  0.25 + 0.5 * draw(algorithm, 'impressions')) AS impressions
    FROM impressions_running
    WINDOW by_cell AS (PARTITION BY algorithm ORDER BY cell, salt)
), clicks_running AS (
    SELECT *, sum(impressions * ctr) OVER by_cell AS running_clicks
    FROM impressions_counted
    WINDOW by_cell AS (PARTITION BY algorithm ORDER BY cell, salt ROWS UNBOUNDED PRECEDING)
), clicks_counted AS (
    -- expected clicks rescaled so the algorithm's add up to its target exactly
    SELECT
        *,
        share_out(running_clicks * clicks_target / total_clicks,
                  lag(running_clicks) OVER by_cell * clicks_target / total_clicks,
                  0.25 + 0.5 * draw(algorithm, 'clicks')) AS clicks
    FROM (
        SELECT *, max(running_clicks) OVER (PARTITION BY algorithm) AS total_clicks
        FROM clicks_running
    )
    WINDOW by_cell AS (PARTITION BY algorithm ORDER BY cell, salt)
)
SELECT
    row_number() OVER by_day AS stratum_no,
    k.algorithm_no, k.algorithm, k.model_version, k.customer_type, k.clv_tier, k.category_no,
    k.day, k.salt, k.impressions, k.clicks,
    (sum(k.impressions) OVER by_day - k.impressions)::BIGINT AS id_base,
    epoch_us(k.day::TIMESTAMP) AS day_us,
    k.day = getvariable('tracking_bug_date') AS is_bug_day,
    floor(draw(k.salt, 'click offset') * k.impressions)::BIGINT AS click_offset,
    cell.first_position + CASE k.arm WHEN 'two' THEN cell.arm_one ELSE 0 END AS pool_first,
    CASE k.arm
        WHEN 'all' THEN cell.treatment
        WHEN 'one' THEN cell.arm_one
        ELSE cell.treatment - cell.arm_one
    END AS pool_size,
    greatest(1, round(a.coverage * active.size))::BIGINT AS reach,
    greatest(1, round(a.coverage * premium.size))::BIGINT AS premium_reach,
    a.skew
FROM clicks_counted AS k
JOIN algorithm_targets AS a USING (algorithm)
JOIN customer_cells AS cell USING (customer_type, clv_tier)
JOIN pool_size AS active ON active.pool_id = 3 * k.category_no + 1
JOIN pool_size AS premium ON premium.pool_id = 3 * k.category_no + 2
WHERE k.impressions > 0
WINDOW by_day AS (ORDER BY k.day_index, k.algorithm_no, k.salt)
"""

# Strata cut into blocks of rows to expand: for impressions, blocks of equal size; for the
# clicked rows alone, one block per stratum.
ROW_BLOCKS_SQL = """
CREATE TEMP TABLE row_blocks AS
WITH sized AS (
    SELECT greatest(16, ceil(sum(impressions) / $1))::BIGINT AS block FROM strata
)
SELECT s.stratum_no, FALSE AS clicked_only, b.first, least(z.block, s.impressions - b.first) AS rows
FROM strata AS s, sized AS z, range(0, s.impressions, z.block) AS b(first)
UNION ALL
SELECT stratum_no, TRUE, 0, clicks FROM strata WHERE clicks > 0
"""

# One row per impression, with the hidden truth (real customer, segment, clicked or not) that the
# clicks and orders are derived from. Row i of a stratum with n impressions and c clicks is
# clicked when ((i+1)c + offset) // n > (ic + offset) // n, which picks exactly c rows, evenly
# spaced. With clicked_only the macro yields just those rows, found directly: click k (from 0) is
# row ((k+1)n - offset - 1) // c. Impressions, clicks and orders all read this one macro, so they
# agree row for row. Bits of h: hour 0-9, second 10-31, product 32-63; of h2: customer 0-31,
# placement 32-40, device 42-50, slot 52-60.
IMPRESSION_DRAWS_SQL = """
CREATE TEMP MACRO impression_draws(clicked_only) AS TABLE
WITH expanded AS (
    SELECT s.*, b.first + unnest(range(b.rows)) AS j
    FROM row_blocks AS b JOIN strata AS s USING (stratum_no)
    WHERE b.clicked_only = clicked_only
), numbered AS (
    SELECT
        *,
        CASE WHEN clicked_only
            THEN ((j + 1) * impressions - click_offset - 1) // clicks
            ELSE j
        END AS i
    FROM expanded
), drawn AS (
    SELECT
        *,
        hash(salt, i) AS h,
        hash(salt, i, 'more') AS h2,
        (((i + 1) * clicks + click_offset) // impressions
            > (i * clicks + click_offset) // impressions)::INTEGER AS clicked
    FROM numbered
), placed AS (
    SELECT
        *,
        1 + getvariable('lookup_size') * clicked AS lookup_base,
        getvariable('placement_lookup')[
            1 + getvariable('lookup_size') * clicked
            + ((h2 >> 32) % getvariable('lookup_size'))::INTEGER] AS combo,
        ((h2 & 4294967295) + 0.5) / 4294967296 AS cu
    FROM drawn
), pooled AS (
    SELECT *, getvariable('combo_pool')[combo] AS pool FROM placed
)
SELECT
    (d.id_base + d.i + 1)::BIGINT AS impression_id,
    make_timestamp(d.day_us + 1000000::BIGINT * (
        3600 * getvariable('hour_lookup')[1 + (d.h & 1023)::INTEGER]
        + (((d.h >> 10) & 4194303) % 3600)::INTEGER
    )) AS impression_ts,
    -- u * (0.6 + 0.4u) leans towards the front of the pool: some shoppers browse more
    customer_at(d.pool_first + floor(d.pool_size * d.cu * (0.6 + 0.4 * d.cu))::BIGINT)
        AS customer_id,
    p.product_id,
    d.algorithm,
    d.model_version,
    getvariable('placement_names')[d.combo] AS placement,
    getvariable('rec_type_names')[d.combo] AS rec_type,
    getvariable('device_names')[getvariable('device_lookup')[
        d.lookup_base + ((d.h2 >> 42) % getvariable('lookup_size'))::INTEGER]] AS device,
    getvariable('slot_lookup')[
        d.lookup_base + ((d.h2 >> 52) % getvariable('lookup_size'))::INTEGER] AS slot,
    d.customer_type,
    d.clv_tier,
    d.is_bug_day,
    d.clicked = 1 AS is_clicked
FROM pooled AS d
JOIN product_pool AS p
    ON p.pool_id = 3 * d.category_no + d.pool
    AND p.rank = floor(
        CASE d.pool WHEN 2 THEN d.premium_reach ELSE d.reach END
        * pow(((d.h >> 32) + 0.5) / 4294967296, d.skew)
    )::BIGINT
"""

IMPRESSIONS_SQL = """
CREATE TABLE impressions AS
SELECT
    impression_id,
    impression_ts,
    -- the tracking bug: a day of impressions logged without the shopper
    CASE WHEN is_bug_day THEN NULL ELSE customer_id END AS customer_id,
    product_id, algorithm, model_version, placement, rec_type, device,
    slot::SMALLINT AS slot
FROM impression_draws(FALSE)
"""

CLICKED_SQL = """
CREATE TEMP TABLE clicked AS
WITH raw AS (
    SELECT
        * EXCLUDE (is_clicked),
        impression_ts + to_seconds(least(
            delay_seconds(draw(impression_id, 'click delay'), 2, 40, 900),
            date_diff('second', impression_ts, getvariable('end_ts'))
        )) AS click_ts
    FROM impression_draws(TRUE)
)
SELECT row_number() OVER (ORDER BY click_ts, impression_id) AS click_id, *
FROM raw
"""

CLICKS_SQL = """
CREATE TABLE clicks AS
SELECT click_id, impression_id, click_ts FROM clicked ORDER BY click_id
"""
