-- {"dimensions": ["algorithm"], "filters": [{"dimension": "bestseller", "operator": "=", "values": [false]}], "metrics": ["impressions"]}
WITH impressions_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  JOIN products AS products
    ON impressions.product_id = products.product_id
  WHERE
    products.is_top_seller = FALSE
  GROUP BY
    impressions.algorithm
)
SELECT
  impressions_agg.algorithm AS algorithm,
  COALESCE(impressions_agg.impressions, 0) AS impressions
FROM impressions_agg
ORDER BY
  algorithm ASC
