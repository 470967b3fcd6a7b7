-- {"dimensions": ["date:week"], "metrics": ["impressions"], "time_range": {"end": "2026-11-30", "start": "2026-11-01"}}
WITH impressions_agg AS (
  SELECT
    CAST(DATE_TRUNC('WEEK', impressions.impression_ts) AS DATE) AS date_week,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  WHERE
    impressions.impression_ts >= CAST('2026-11-01 00:00:00' AS TIMESTAMP)
    AND impressions.impression_ts < CAST('2026-12-01 00:00:00' AS TIMESTAMP)
  GROUP BY
    CAST(DATE_TRUNC('WEEK', impressions.impression_ts) AS DATE)
)
SELECT
  impressions_agg.date_week AS date_week,
  COALESCE(impressions_agg.impressions, 0) AS impressions
FROM impressions_agg
ORDER BY
  date_week ASC
