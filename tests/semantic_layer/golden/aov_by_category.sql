-- {"dimensions": ["category"], "metrics": ["aov"]}
WITH orders_agg AS (
  SELECT
    products.category AS category,
    SUM(orders.order_total) AS revenue,
    COUNT(*) AS conversions
  FROM orders AS orders
  LEFT JOIN impressions AS impressions
    ON orders.impression_id = impressions.impression_id
  LEFT JOIN products AS products
    ON impressions.product_id = products.product_id
  WHERE
    NOT orders.impression_id IS NULL
  GROUP BY
    products.category
)
SELECT
  orders_agg.category AS category,
  CAST(COALESCE(orders_agg.revenue, 0) AS DOUBLE) / NULLIF(COALESCE(orders_agg.conversions, 0), 0) AS aov
FROM orders_agg
ORDER BY
  category ASC
