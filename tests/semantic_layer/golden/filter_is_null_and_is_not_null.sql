-- {"filters": [{"dimension": "customer_type", "operator": "is null"}, {"dimension": "algorithm", "operator": "is not null"}], "metrics": ["impressions", "clicks"]}
WITH clicks_agg AS (
  SELECT
    COUNT(*) AS clicks
  FROM clicks AS clicks
  JOIN impressions AS impressions
    ON clicks.impression_id = impressions.impression_id
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  WHERE
    customers.customer_type IS NULL AND NOT impressions.algorithm IS NULL
), impressions_agg AS (
  SELECT
    COUNT(*) AS impressions
  FROM impressions AS impressions
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  WHERE
    customers.customer_type IS NULL AND NOT impressions.algorithm IS NULL
)
SELECT
  COALESCE(impressions_agg.impressions, 0) AS impressions,
  COALESCE(clicks_agg.clicks, 0) AS clicks
FROM clicks_agg
CROSS JOIN impressions_agg
