-- {"dimensions": ["experiment_group"], "metrics": ["orders_per_buyer", "recommendation_revenue_share"]}
WITH orders_agg AS (
  SELECT
    customers.experiment_group AS experiment_group,
    COUNT(*) AS orders,
    COUNT(DISTINCT orders.customer_id) AS buyers,
    SUM(orders.order_total) FILTER(WHERE
      NOT orders.impression_id IS NULL) AS revenue,
    SUM(orders.order_total) AS store_revenue
  FROM orders AS orders
  LEFT JOIN customers AS customers
    ON orders.customer_id = customers.customer_id
  GROUP BY
    customers.experiment_group
)
SELECT
  orders_agg.experiment_group AS experiment_group,
  CAST(COALESCE(orders_agg.orders, 0) AS DOUBLE) / NULLIF(COALESCE(orders_agg.buyers, 0), 0) AS orders_per_buyer,
  CAST(COALESCE(orders_agg.revenue, 0) AS DOUBLE) / NULLIF(COALESCE(orders_agg.store_revenue, 0), 0) AS recommendation_revenue_share
FROM orders_agg
ORDER BY
  experiment_group ASC
