-- {"dimensions": ["algorithm", "category"], "metrics": ["catalog_coverage"]}
WITH impressions_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    products.category AS category,
    COUNT(DISTINCT impressions.product_id) AS recommended_active_products
  FROM impressions AS impressions
  JOIN products AS products
    ON impressions.product_id = products.product_id
  WHERE
    products.is_active
  GROUP BY
    impressions.algorithm,
    products.category
), products_catalog AS (
  SELECT
    products.category AS category,
    COUNT(*) AS active_products
  FROM products AS products
  WHERE
    products.is_active
  GROUP BY
    products.category
)
SELECT
  impressions_agg.algorithm AS algorithm,
  impressions_agg.category AS category,
  CAST(COALESCE(impressions_agg.recommended_active_products, 0) AS DOUBLE) / NULLIF(COALESCE(products_catalog.active_products, 0), 0) AS catalog_coverage
FROM impressions_agg
LEFT JOIN products_catalog
  ON impressions_agg.category IS NOT DISTINCT FROM products_catalog.category
ORDER BY
  algorithm ASC,
  category ASC
