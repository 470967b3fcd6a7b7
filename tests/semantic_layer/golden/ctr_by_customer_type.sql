-- {"dimensions": ["customer_type"], "metrics": ["ctr"]}
WITH impressions_agg AS (
  SELECT
    customers.customer_type AS customer_type,
    COUNT(*) AS impressions,
    COUNT(clicks.click_id) AS clicks
  FROM impressions AS impressions
  LEFT JOIN clicks AS clicks
    ON clicks.impression_id = impressions.impression_id
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  GROUP BY
    customers.customer_type
)
SELECT
  impressions_agg.customer_type AS customer_type,
  CAST(COALESCE(impressions_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr
FROM impressions_agg
ORDER BY
  customer_type ASC
