-- {"dimensions": ["placement"], "limit": 3, "metrics": ["ctr", "impressions"], "order_by": ["-ctr", "placement"]}
WITH clicks_agg AS (
  SELECT
    impressions.placement AS placement,
    COUNT(*) AS clicks
  FROM clicks AS clicks
  JOIN impressions AS impressions
    ON clicks.impression_id = impressions.impression_id
  GROUP BY
    impressions.placement
), impressions_agg AS (
  SELECT
    impressions.placement AS placement,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  GROUP BY
    impressions.placement
)
SELECT
  COALESCE(clicks_agg.placement, impressions_agg.placement) AS placement,
  CAST(COALESCE(clicks_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr,
  COALESCE(impressions_agg.impressions, 0) AS impressions
FROM clicks_agg
FULL JOIN impressions_agg
  ON clicks_agg.placement IS NOT DISTINCT FROM impressions_agg.placement
ORDER BY
  ctr DESC,
  placement ASC
LIMIT 3
