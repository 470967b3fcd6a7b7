-- {"dimensions": ["date"], "metrics": ["clicks", "conversions"], "time_range": {"end": "2026-11-30", "start": "2026-11-01"}}
WITH clicks_agg AS (
  SELECT
    CAST(clicks.click_ts AS DATE) AS date,
    COUNT(*) AS clicks
  FROM clicks AS clicks
  WHERE
    clicks.click_ts >= CAST('2026-11-01 00:00:00' AS TIMESTAMP)
    AND clicks.click_ts < CAST('2026-12-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    CAST(clicks.click_ts AS DATE)
), orders_agg AS (
  SELECT
    CAST(orders.order_ts AS DATE) AS date,
    COUNT(*) AS conversions
  FROM orders AS orders
  WHERE
    NOT orders.impression_id IS NULL
    AND orders.order_ts >= CAST('2026-11-01 00:00:00' AS TIMESTAMP)
    AND orders.order_ts < CAST('2026-12-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    CAST(orders.order_ts AS DATE)
)
SELECT
  COALESCE(clicks_agg.date, orders_agg.date) AS date,
  COALESCE(clicks_agg.clicks, 0) AS clicks,
  COALESCE(orders_agg.conversions, 0) AS conversions
FROM clicks_agg
FULL JOIN orders_agg
  ON clicks_agg.date IS NOT DISTINCT FROM orders_agg.date
ORDER BY
  date ASC
