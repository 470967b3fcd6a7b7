-- {"dimensions": ["algorithm", "placement"], "having": [{"metric": "clicks", "operator": ">=", "value": 100}, {"metric": "ctr", "operator": ">", "value": 0.02}], "metrics": ["ctr"]}
WITH clicks_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    impressions.placement AS placement,
    COUNT(*) AS clicks
  FROM clicks AS clicks
  JOIN impressions AS impressions
    ON clicks.impression_id = impressions.impression_id
  GROUP BY
    impressions.algorithm,
    impressions.placement
), impressions_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    impressions.placement AS placement,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  GROUP BY
    impressions.algorithm,
    impressions.placement
)
SELECT
  COALESCE(clicks_agg.algorithm, impressions_agg.algorithm) AS algorithm,
  COALESCE(clicks_agg.placement, impressions_agg.placement) AS placement,
  CAST(COALESCE(clicks_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr
FROM clicks_agg
FULL JOIN impressions_agg
  ON clicks_agg.algorithm IS NOT DISTINCT FROM impressions_agg.algorithm
  AND clicks_agg.placement IS NOT DISTINCT FROM impressions_agg.placement
WHERE
  COALESCE(clicks_agg.clicks, 0) >= 100.0
  AND CAST(COALESCE(clicks_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) > 0.02
ORDER BY
  algorithm ASC,
  placement ASC
