-- {"dimensions": ["date:month", "date:quarter", "date:year"], "metrics": ["ctr"]}
WITH clicks_agg AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', clicks.click_ts) AS DATE) AS date_month,
    CAST(DATE_TRUNC('QUARTER', clicks.click_ts) AS DATE) AS date_quarter,
    CAST(DATE_TRUNC('YEAR', clicks.click_ts) AS DATE) AS date_year,
    COUNT(*) AS clicks
  FROM clicks AS clicks
  GROUP BY
    CAST(DATE_TRUNC('MONTH', clicks.click_ts) AS DATE),
    CAST(DATE_TRUNC('QUARTER', clicks.click_ts) AS DATE),
    CAST(DATE_TRUNC('YEAR', clicks.click_ts) AS DATE)
), impressions_agg AS (
  SELECT
    CAST(DATE_TRUNC('MONTH', impressions.impression_ts) AS DATE) AS date_month,
    CAST(DATE_TRUNC('QUARTER', impressions.impression_ts) AS DATE) AS date_quarter,
    CAST(DATE_TRUNC('YEAR', impressions.impression_ts) AS DATE) AS date_year,
    COUNT(*) AS impressions
  FROM impressions AS impressions
  GROUP BY
    CAST(DATE_TRUNC('MONTH', impressions.impression_ts) AS DATE),
    CAST(DATE_TRUNC('QUARTER', impressions.impression_ts) AS DATE),
    CAST(DATE_TRUNC('YEAR', impressions.impression_ts) AS DATE)
)
SELECT
  COALESCE(clicks_agg.date_month, impressions_agg.date_month) AS date_month,
  COALESCE(clicks_agg.date_quarter, impressions_agg.date_quarter) AS date_quarter,
  COALESCE(clicks_agg.date_year, impressions_agg.date_year) AS date_year,
  CAST(COALESCE(clicks_agg.clicks, 0) AS DOUBLE) / NULLIF(COALESCE(impressions_agg.impressions, 0), 0) AS ctr
FROM clicks_agg
FULL JOIN impressions_agg
  ON clicks_agg.date_month IS NOT DISTINCT FROM impressions_agg.date_month
  AND clicks_agg.date_quarter IS NOT DISTINCT FROM impressions_agg.date_quarter
  AND clicks_agg.date_year IS NOT DISTINCT FROM impressions_agg.date_year
ORDER BY
  date_month ASC,
  date_quarter ASC,
  date_year ASC
