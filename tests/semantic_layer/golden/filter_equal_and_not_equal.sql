-- {"dimensions": ["algorithm"], "filters": [{"dimension": "category", "operator": "=", "values": ["Shoes"]}, {"dimension": "device", "operator": "!=", "values": ["Tablet"]}], "metrics": ["ctr"]}
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
    products.category = 'Shoes' AND impressions.device <> 'Tablet'
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
    products.category = 'Shoes' AND impressions.device <> 'Tablet'
  GROUP BY
    impressions.algorithm
)
SELECT
  COALESCE(clicks_agg.algorithm, impressions_agg.algorithm) AS algorithm,
  CAST(COALESCE(clicks_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr
FROM clicks_agg
FULL JOIN impressions_agg
  ON clicks_agg.algorithm IS NOT DISTINCT FROM impressions_agg.algorithm
ORDER BY
  algorithm ASC
