{{config materialized="incremental" incremental_strategy="time_range" time_column="date" watermark="loaded_at" tags="marts"}}
-- One row per local date (var timezone) that has sessions, by the date of each session's start;
-- timezone names the zone the dates are in.
-- Incremental: a session's start only moves earlier as its events arrive, so every date whose figures
-- can change (a session's old date and its new one) lies at or after the earliest start among the
-- sessions loaded since this table's last load. Those dates are recomputed and replace the stored
-- ones from that date on (time_range); a date left without sessions goes.

select
  {{> local_time at="started_at"}}::DATE as date,
  count(distinct coalesce(visitor_id, session_id))::INTEGER as visitors,
  count(*)::INTEGER as sessions,
  sum(page_views)::INTEGER as page_views,
  (count(*) filter (where converted))::INTEGER as conversions,
  avg(case when is_bounce then 1.0 else 0.0 end)::DOUBLE as bounce_rate,
  avg(engaged_s)::DOUBLE as avg_engaged_s,
  {{var "timezone"}} as timezone,
  max(loaded_at) as loaded_at
from {{ref "sessions"}}
{{#if is_incremental}}
where {{> local_time at="started_at"}}::DATE >= (
  select min({{> local_time at="started_at"}})::DATE from {{ref "sessions"}} where loaded_at > {{watermark}}
)
{{/if}}
group by 1
order by 1
