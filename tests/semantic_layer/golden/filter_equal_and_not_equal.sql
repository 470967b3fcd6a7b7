-- {"dimensions": ["algorithm"], "filters": [{"dimension": "category", "operator": "=", "values": ["Shoes"]}, {"dimension": "device", "operator": "!=", "values": ["Tablet"]}], "metrics": ["ctr"]}
WITH impressions_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    COUNT(*) AS impressions,
    COUNT(clicks.click_id) AS clicks
  FROM impressions AS impressions
  LEFT JOIN clicks AS clicks
    ON clicks.impression_id = impressions.impression_id
  JOIN products AS products
    ON impressions.product_id = products.product_id
  WHERE
    products.category = 'Shoes' AND impressions.device <> 'Tablet'
  GROUP BY
    impressions.algorithm
)
SELECT
  impressions_agg.algorithm AS algorithm,
  CAST(COALESCE(impressions_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr
FROM impressions_agg
ORDER BY
  algorithm ASC
