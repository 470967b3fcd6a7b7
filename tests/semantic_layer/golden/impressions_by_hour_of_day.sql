-- {"dimensions": ["date:hour_of_day"], "metrics": ["impressions"]}
WITH impressions_agg AS (
  SELECT
    EXTRACT(HOUR FROM impressions.impression_ts) AS date_hour_of_day,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  GROUP BY
    EXTRACT(HOUR FROM impressions.impression_ts)
)
SELECT
  impressions_agg.date_hour_of_day AS date_hour_of_day,
  COALESCE(impressions_agg.impressions, 0) AS impressions
FROM impressions_agg
ORDER BY
  date_hour_of_day ASC
