{{config materialized="table" tags="marts"}}
-- Which sites send readers: per referring site of the sessions' first touch, summed over the days of
-- int_daily_sources. Distinct visitors do not add up across days, so they alone are counted from
-- int_referrer_visitors (one row per visitor, with their sites).

with by_referrer as (
  select
    referrer,
    sum(sessions)::INTEGER as sessions,
    sum(conversions)::INTEGER as conversions,
    sum(bounces) as bounces,
    sum(engaged_s) as engaged_s
  from {{ref "int_daily_sources"}}
  group by referrer
),

visitors as (
  select referrer, count(*)::INTEGER as visitors
  from (select unnest(referrers) as referrer from {{ref "int_referrer_visitors"}})
  group by 1
)

select
  referrer,
  visitors.visitors,
  sessions,
  conversions,
  round(100.0 * conversions / sessions, 1)::DOUBLE as conversion_rate,
  (bounces / sessions)::DOUBLE as bounce_rate,
  (engaged_s / sessions)::DOUBLE as avg_engaged_s
from by_referrer
join visitors using (referrer)
order by visitors desc, sessions desc, referrer
