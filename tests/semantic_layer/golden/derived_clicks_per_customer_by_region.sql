-- {"dimensions": ["region"], "metrics": ["clicks_per_customer"]}
WITH impressions_agg AS (
  SELECT
    customers.region AS region,
    COUNT(DISTINCT impressions.customer_id) AS reached_customers,
    COUNT(clicks.click_id) AS clicks
  FROM impressions AS impressions
  LEFT JOIN clicks AS clicks
    ON clicks.impression_id = impressions.impression_id
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  GROUP BY
    customers.region
)
SELECT
  impressions_agg.region AS region,
  CAST((
    COALESCE(impressions_agg.clicks, 0)
  ) AS DOUBLE) / NULLIF((
    COALESCE(impressions_agg.reached_customers, 0)
  ), 0) AS clicks_per_customer
FROM impressions_agg
ORDER BY
  region ASC
