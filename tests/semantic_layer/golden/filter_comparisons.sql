-- {"dimensions": ["slot"], "filters": [{"dimension": "slot", "operator": ">", "values": [1]}, {"dimension": "slot", "operator": "<=", "values": [4]}, {"dimension": "date", "operator": ">=", "values": ["2026-10-01"]}, {"dimension": "date", "operator": "<", "values": ["2026-11-01"]}], "metrics": ["impressions"]}
WITH impressions_agg AS (
  SELECT
    impressions.slot AS slot,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  WHERE
    impressions.slot > 1
    AND impressions.slot <= 4
    AND CAST(impressions.impression_ts AS DATE) >= '2026-10-01'
    AND CAST(impressions.impression_ts AS DATE) < '2026-11-01'
  GROUP BY
    impressions.slot
)
SELECT
  impressions_agg.slot AS slot,
  COALESCE(impressions_agg.impressions, 0) AS impressions
FROM impressions_agg
ORDER BY
  slot ASC
