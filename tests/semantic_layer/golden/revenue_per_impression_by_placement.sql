-- {"dimensions": ["placement"], "metrics": ["revenue_per_impression"]}
WITH impressions_agg AS (
  SELECT
    impressions.placement AS placement,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  GROUP BY
    impressions.placement
), orders_agg AS (
  SELECT
    impressions.placement AS placement,
    SUM(orders.order_total) AS revenue
  FROM orders AS orders
  LEFT JOIN impressions AS impressions
    ON orders.impression_id = impressions.impression_id
  WHERE
    NOT orders.impression_id IS NULL
  GROUP BY
    impressions.placement
)
SELECT
  COALESCE(impressions_agg.placement, orders_agg.placement) AS placement,
  CAST(COALESCE(orders_agg.revenue, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS revenue_per_impression
FROM impressions_agg
FULL JOIN orders_agg
  ON impressions_agg.placement IS NOT DISTINCT FROM orders_agg.placement
ORDER BY
  placement ASC
