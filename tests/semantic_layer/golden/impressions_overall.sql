-- {"metrics": ["impressions"]}
WITH impressions_agg AS (
  SELECT
    COUNT(*) AS impressions
  FROM impressions AS impressions
)
SELECT
  COALESCE(impressions_agg.impressions, 0) AS impressions
FROM impressions_agg
