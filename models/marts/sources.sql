{{config materialized="table" tags="marts"}}
-- Which traffic sources convert: sessions and converted sessions per source, summed over the days
-- of int_daily_sources.

with by_source as (
  select source, sum(sessions)::INTEGER as sessions, sum(conversions)::INTEGER as conversions
  from {{ref "int_daily_sources"}}
  group by source
)

select
  source,
  sessions,
  conversions,
  round(100.0 * conversions / sessions, 1)::DOUBLE as conversion_rate
from by_source
order by conversion_rate desc, sessions desc, source
