-- {"dimensions": ["region"], "metrics": ["clicks_per_customer"]}
WITH clicks_agg AS (
  SELECT
    customers.region AS region,
    COUNT(*) AS clicks
  FROM clicks AS clicks
  JOIN impressions AS impressions
    ON clicks.impression_id = impressions.impression_id
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  GROUP BY
    customers.region
), impressions_agg AS (
  SELECT
    customers.region AS region,
    COUNT(DISTINCT impressions.customer_id) AS reached_customers
  FROM impressions AS impressions
  LEFT JOIN customers AS customers
    ON impressions.customer_id = customers.customer_id
  GROUP BY
    customers.region
)
SELECT
  COALESCE(clicks_agg.region, impressions_agg.region) AS region,
  CAST((
    COALESCE(clicks_agg.clicks, 0)
  ) AS DOUBLE) / NULLIF((
    COALESCE(impressions_agg.reached_customers, 0)
  ), 0) AS clicks_per_customer
FROM clicks_agg
FULL JOIN impressions_agg
  ON clicks_agg.region IS NOT DISTINCT FROM impressions_agg.region
ORDER BY
  region ASC
