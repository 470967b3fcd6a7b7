-- {"filters": [{"dimension": "customer_type", "operator": "is null"}, {"dimension": "algorithm", "operator": "is not null"}], "metrics": ["impressions", "clicks"]}
WITH impressions_agg AS (
  SELECT
    COUNT(*) AS impressions,
    COUNT(clicks.click_id) AS clicks
  FROM impressions AS impressions
  LEFT JOIN clicks AS clicks
    ON clicks.impression_id = impressions.impression_id
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  WHERE
    customers.customer_type IS NULL AND NOT impressions.algorithm IS NULL
)
SELECT
  COALESCE(impressions_agg.impressions, 0) AS impressions,
  COALESCE(impressions_agg.clicks, 0) AS clicks
FROM impressions_agg
