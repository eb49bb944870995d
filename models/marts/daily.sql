{{config materialized="table" tags="marts"}}
-- One row per UTC date that has sessions, by the date of each session's start.

select
  started_at::DATE as date,
  count(distinct coalesce(visitor_id, session_id))::INTEGER as visitors,
  count(*)::INTEGER as sessions,
  sum(page_views)::INTEGER as page_views,
  (count(*) filter (where converted))::INTEGER as conversions,
  avg(case when is_bounce then 1.0 else 0.0 end)::DOUBLE as bounce_rate,
  avg(engaged_s)::DOUBLE as avg_engaged_s
from {{ref "sessions"}}
group by 1
order by 1
