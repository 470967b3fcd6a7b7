-- {"dimensions": ["algorithm", "clv_tier"], "metrics": ["ctr"]}
WITH clicks_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    customers.clv_tier AS clv_tier,
    COUNT(*) AS clicks
  FROM clicks AS clicks
  JOIN impressions AS impressions
    ON clicks.impression_id = impressions.impression_id
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  GROUP BY
    impressions.algorithm,
    customers.clv_tier
), impressions_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    customers.clv_tier AS clv_tier,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  GROUP BY
    impressions.algorithm,
    customers.clv_tier
)
SELECT
  COALESCE(clicks_agg.algorithm, impressions_agg.algorithm) AS algorithm,
  COALESCE(clicks_agg.clv_tier, impressions_agg.clv_tier) AS clv_tier,
  CAST(COALESCE(clicks_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr
FROM clicks_agg
FULL JOIN impressions_agg
  ON clicks_agg.algorithm IS NOT DISTINCT FROM impressions_agg.algorithm
  AND clicks_agg.clv_tier IS NOT DISTINCT FROM impressions_agg.clv_tier
ORDER BY
  algorithm ASC,
  clv_tier ASC
