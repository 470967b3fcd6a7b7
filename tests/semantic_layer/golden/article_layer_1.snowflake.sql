-- {"dimensions": ["algorithm"], "metrics": ["impressions", "clicks", "ctr", "conversions", "conversion_rate", "revenue"]}
WITH clicks_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    COUNT(*) AS clicks
  FROM clicks AS clicks
  JOIN impressions AS impressions
    ON clicks.impression_id = impressions.impression_id
  GROUP BY
    impressions.algorithm
), impressions_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  GROUP BY
    impressions.algorithm
), orders_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    COUNT(*) AS conversions,
    SUM(orders.order_total) AS revenue
  FROM orders AS orders
  LEFT JOIN impressions AS impressions
    ON orders.impression_id = impressions.impression_id
  WHERE
    NOT orders.impression_id IS NULL
  GROUP BY
    impressions.algorithm
)
SELECT
  COALESCE(clicks_agg.algorithm, impressions_agg.algorithm, orders_agg.algorithm) AS algorithm,
  COALESCE(impressions_agg.impressions, 0) AS impressions,
  COALESCE(clicks_agg.clicks, 0) AS clicks,
  CAST(COALESCE(clicks_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr,
  COALESCE(orders_agg.conversions, 0) AS conversions,
  CAST(COALESCE(orders_agg.conversions, 0) AS DOUBLE) / NULLIF(COALESCE(clicks_agg.clicks, 0), 0) AS conversion_rate,
  COALESCE(orders_agg.revenue, 0) AS revenue
FROM clicks_agg
FULL JOIN impressions_agg
  ON clicks_agg.algorithm IS NOT DISTINCT FROM impressions_agg.algorithm
FULL JOIN orders_agg
  ON COALESCE(clicks_agg.algorithm, impressions_agg.algorithm) IS NOT DISTINCT FROM orders_agg.algorithm
ORDER BY
  algorithm ASC
