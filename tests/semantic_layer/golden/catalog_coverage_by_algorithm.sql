-- {"dimensions": ["algorithm"], "metrics": ["catalog_coverage"]}
WITH impressions_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    COUNT(DISTINCT impressions.product_id) AS recommended_active_products
  FROM impressions AS impressions
  JOIN products AS products
    ON impressions.product_id = products.product_id
  WHERE
    products.is_active
  GROUP BY
    impressions.algorithm
), products_catalog AS (
  SELECT
    COUNT(*) AS active_products
  FROM products AS products
  WHERE
    products.is_active
)
SELECT
  impressions_agg.algorithm AS algorithm,
  CAST(COALESCE(impressions_agg.recommended_active_products, 0) AS DOUBLE) / NULLIF(COALESCE(products_catalog.active_products, 0), 0) AS catalog_coverage
FROM impressions_agg
CROSS JOIN products_catalog
ORDER BY
  algorithm ASC
