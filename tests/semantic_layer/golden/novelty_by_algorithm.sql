-- {"dimensions": ["algorithm"], "metrics": ["novelty"]}
WITH impressions_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    COUNT(*) FILTER(WHERE
      NOT products.is_top_seller) AS novel_impressions,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  JOIN products AS products
    ON impressions.product_id = products.product_id
  GROUP BY
    impressions.algorithm
)
SELECT
  impressions_agg.algorithm AS algorithm,
  CAST(COALESCE(impressions_agg.novel_impressions, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS novelty
FROM impressions_agg
ORDER BY
  algorithm ASC
