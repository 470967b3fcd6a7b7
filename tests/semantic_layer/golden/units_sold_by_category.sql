-- {"dimensions": ["category"], "metrics": ["units_sold"]}
WITH order_items_agg AS (
  SELECT
    products.category AS category,
    SUM(order_items.quantity) AS units_sold
  FROM order_items AS order_items
  JOIN products AS products
    ON order_items.product_id = products.product_id
  GROUP BY
    products.category
)
SELECT
  order_items_agg.category AS category,
  COALESCE(order_items_agg.units_sold, 0) AS units_sold
FROM order_items_agg
ORDER BY
  category ASC
