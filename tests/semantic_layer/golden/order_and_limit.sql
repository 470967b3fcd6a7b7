-- {"dimensions": ["placement"], "limit": 3, "metrics": ["ctr", "impressions"], "order_by": ["-ctr", "placement"]}
WITH impressions_agg AS (
  SELECT
    impressions.placement AS placement,
    COUNT(*) AS impressions,
    COUNT(clicks.click_id) AS clicks
  FROM impressions AS impressions
  LEFT JOIN clicks AS clicks
    ON clicks.impression_id = impressions.impression_id
  GROUP BY
    impressions.placement
)
SELECT
  impressions_agg.placement AS placement,
  CAST(COALESCE(impressions_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr,
  COALESCE(impressions_agg.impressions, 0) AS impressions
FROM impressions_agg
ORDER BY
  ctr DESC,
  placement ASC
LIMIT 3
