-- {"dimensions": ["algorithm", "placement"], "having": [{"metric": "clicks", "operator": ">=", "value": 100}, {"metric": "ctr", "operator": ">", "value": 0.02}], "metrics": ["ctr"]}
WITH impressions_agg AS (
  SELECT
    impressions.algorithm AS algorithm,
    impressions.placement AS placement,
    COUNT(*) AS impressions,
    COUNT(clicks.click_id) AS clicks
  FROM impressions AS impressions
  LEFT JOIN clicks AS clicks
    ON clicks.impression_id = impressions.impression_id
  GROUP BY
    impressions.algorithm,
    impressions.placement
)
SELECT
  impressions_agg.algorithm AS algorithm,
  impressions_agg.placement AS placement,
  CAST(COALESCE(impressions_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr
FROM impressions_agg
WHERE
  COALESCE(impressions_agg.clicks, 0) >= 100.0
  AND CAST(COALESCE(impressions_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) > 0.02
ORDER BY
  algorithm ASC,
  placement ASC
