-- {"filters": [{"dimension": "product", "operator": "like", "values": ["%Dress%"]}, {"dimension": "brand", "operator": "not like", "values": ["Maison%"]}], "metrics": ["units_sold"]}
WITH order_items_agg AS (
  SELECT
    SUM(order_items.quantity) AS units_sold
  FROM order_items AS order_items
  JOIN products AS products
    ON order_items.product_id = products.product_id
  WHERE
    products.product_name LIKE '%Dress%' AND NOT products.brand LIKE 'Maison%'
)
SELECT
  COALESCE(order_items_agg.units_sold, 0) AS units_sold
FROM order_items_agg
