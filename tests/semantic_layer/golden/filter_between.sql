-- {"filters": [{"dimension": "date", "operator": "between", "values": ["2026-11-01", "2026-11-07"]}], "metrics": ["revenue"]}
WITH orders_agg AS (
  SELECT
    SUM(orders.order_total) AS revenue
  FROM orders AS orders
  WHERE
    NOT orders.impression_id IS NULL
    AND CAST(orders.order_ts AS DATE) BETWEEN '2026-11-01' AND '2026-11-07'
)
SELECT
  COALESCE(orders_agg.revenue, 0) AS revenue
FROM orders_agg
