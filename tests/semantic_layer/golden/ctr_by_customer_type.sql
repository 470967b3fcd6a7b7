-- {"dimensions": ["customer_type"], "metrics": ["ctr"]}
WITH clicks_agg AS (
  SELECT
    customers.customer_type AS customer_type,
    COUNT(*) AS clicks
  FROM clicks AS clicks
  JOIN impressions AS impressions
    ON clicks.impression_id = impressions.impression_id
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  GROUP BY
    customers.customer_type
), impressions_agg AS (
  SELECT
    customers.customer_type AS customer_type,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  GROUP BY
    customers.customer_type
)
SELECT
  COALESCE(clicks_agg.customer_type, impressions_agg.customer_type) AS customer_type,
  CAST(COALESCE(clicks_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr
FROM clicks_agg
FULL JOIN impressions_agg
  ON clicks_agg.customer_type IS NOT DISTINCT FROM impressions_agg.customer_type
ORDER BY
  customer_type ASC
