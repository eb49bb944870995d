{{config materialized="table" tags="marts"}}
-- Which traffic sources convert: sessions and converted sessions per source.

with by_source as (
  select
    coalesce(utm_source, '(direct)') as source,
    count(*)::INTEGER as sessions,
    (count(*) filter (where converted))::INTEGER as conversions
  from {{ref "sessions"}}
  group by 1
)

select
  source,
  sessions,
  conversions,
  round(100.0 * conversions / sessions, 1)::DOUBLE as conversion_rate
from by_source
order by conversion_rate desc, sessions desc, source
