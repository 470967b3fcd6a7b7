-- {"filters": [{"dimension": "placement", "operator": "in", "values": ["Homepage", "Cart"]}, {"dimension": "region", "operator": "not in", "values": ["West"]}], "metrics": ["clicks"]}
WITH clicks_agg AS (
  SELECT
    COUNT(*) AS clicks
  FROM clicks AS clicks
  JOIN impressions AS impressions
    ON clicks.impression_id = impressions.impression_id
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  WHERE
    impressions.placement IN ('Homepage', 'Cart')
    AND NOT customers.region IN ('West')
)
SELECT
  COALESCE(clicks_agg.clicks, 0) AS clicks
FROM clicks_agg
