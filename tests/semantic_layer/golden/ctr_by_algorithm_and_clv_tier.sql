-- {"dimensions": ["algorithm", "clv_tier"], "metrics": ["ctr"]}
WITH impressions_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    customers.clv_tier AS clv_tier,
    COUNT(*) AS impressions,
    COUNT(clicks.click_id) AS clicks
  FROM impressions AS impressions
  LEFT JOIN clicks AS clicks
    ON clicks.impression_id = impressions.impression_id
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  GROUP BY
    impressions.algorithm,
    customers.clv_tier
)
SELECT
  impressions_agg.algorithm AS algorithm,
  impressions_agg.clv_tier AS clv_tier,
  CAST(COALESCE(impressions_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr
FROM impressions_agg
ORDER BY
  algorithm ASC,
  clv_tier ASC
