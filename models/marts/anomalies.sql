{{config materialized="table" tags="marts"}}
-- Hourly event counts against the same hour of day (on var timezone's clock) over the previous 14
-- days, with a robust z-score (computed incrementally in int_hourly_scores) and whether it is beyond
-- var anomaly_z.

select
  hour,
  events,
  baseline,
  z,
  coalesce(abs(z) > {{var "anomaly_z"}}, false) as is_anomaly
from {{ref "int_hourly_scores"}}
order by hour
