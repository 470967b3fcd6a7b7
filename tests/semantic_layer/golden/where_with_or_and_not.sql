-- {"dimensions": ["algorithm"], "metrics": ["ctr", "conversions"], "time_range": {"end": "2026-11-30", "start": "2026-11-01"}, "where": "(category = 'Shoes' OR category = 'Dresses') AND NOT device = 'Tablet'"}
WITH clicks_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    COUNT(*) AS clicks
  FROM clicks AS clicks
  JOIN impressions AS impressions
    ON clicks.impression_id = impressions.impression_id
  JOIN products AS products
    ON impressions.product_id = products.product_id
  WHERE
    (
      (
        products.category = 'Shoes' OR products.category = 'Dresses'
      )
      AND NOT impressions.device = 'Tablet'
    )
    AND clicks.click_ts >= CAST('2026-11-01 00:00:00' AS TIMESTAMP)
    AND clicks.click_ts < CAST('2026-12-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    impressions.algorithm
), impressions_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  JOIN products AS products
    ON impressions.product_id = products.product_id
  WHERE
    (
      (
        products.category = 'Shoes' OR products.category = 'Dresses'
      )
      AND NOT impressions.device = 'Tablet'
    )
    AND impressions.impression_ts >= CAST('2026-11-01 00:00:00' AS TIMESTAMP)
    AND impressions.impression_ts < CAST('2026-12-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    impressions.algorithm
), orders_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    COUNT(*) AS conversions
  FROM orders AS orders
  LEFT JOIN impressions AS impressions
    ON orders.impression_id = impressions.impression_id
  LEFT JOIN products AS products
    ON impressions.product_id = products.product_id
  WHERE
    NOT orders.impression_id IS NULL
    AND (
      (
        products.category = 'Shoes' OR products.category = 'Dresses'
      )
      AND NOT impressions.device = 'Tablet'
    )
    AND orders.order_ts >= CAST('2026-11-01 00:00:00' AS TIMESTAMP)
    AND orders.order_ts < CAST('2026-12-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    impressions.algorithm
)
SELECT
  COALESCE(clicks_agg.algorithm, impressions_agg.algorithm, orders_agg.algorithm) AS algorithm,
  CAST(COALESCE(clicks_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr,
  COALESCE(orders_agg.conversions, 0) AS conversions
FROM clicks_agg
FULL JOIN impressions_agg
  ON clicks_agg.algorithm IS NOT DISTINCT FROM impressions_agg.algorithm
FULL JOIN orders_agg
  ON COALESCE(clicks_agg.algorithm, impressions_agg.algorithm) IS NOT DISTINCT FROM orders_agg.algorithm
ORDER BY
  algorithm ASC
