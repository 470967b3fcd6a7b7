-- {"dimensions": ["date:day_of_week"], "metrics": ["clicks"]}
WITH clicks_agg AS (
  SELECT
    ISODOW(clicks.click_ts) AS date_day_of_week,
    COUNT(*) AS clicks
  FROM clicks AS clicks
  GROUP BY
    ISODOW(clicks.click_ts)
)
SELECT
  clicks_agg.date_day_of_week AS date_day_of_week,
  COALESCE(clicks_agg.clicks, 0) AS clicks
FROM clicks_agg
ORDER BY
  date_day_of_week ASC
