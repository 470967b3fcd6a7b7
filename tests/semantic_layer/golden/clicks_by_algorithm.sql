-- {"dimensions": ["algorithm"], "metrics": ["clicks"]}
WITH clicks_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    COUNT(*) AS clicks
  FROM clicks AS clicks
  JOIN impressions AS impressions
    ON clicks.impression_id = impressions.impression_id
  GROUP BY
    impressions.algorithm
)
SELECT
  clicks_agg.algorithm AS algorithm,
  COALESCE(clicks_agg.clicks, 0) AS clicks
FROM clicks_agg
ORDER BY
  algorithm ASC
