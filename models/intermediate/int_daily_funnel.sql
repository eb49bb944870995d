{{config materialized="incremental" incremental_strategy="time_range" time_column="date" watermark="loaded_at" tags="intermediate"}}
-- Sessions per local date (var timezone) of the session's start × the last step of var funnel_steps
-- they reached (int_session_funnel), so that the funnel and a report's period add up days rather
-- than every session.
-- Incremental as int_daily_sources: a session's start only moves earlier as its events arrive, so
-- the dates from the earliest start among sessions loaded since this table's last load are
-- recomputed and replace the stored ones (time_range). The steps are part of the definition (the
-- key compared below), so a change of funnel_steps rebuilds it in full, as it does int_session_funnel.

select
  {{> local_time at="s.started_at"}}::DATE as date,
  f.steps_reached,
  count(*)::BIGINT as sessions,
  max(s.loaded_at) as loaded_at
from {{ref "int_session_funnel"}} f
join {{ref "sessions"}} s on s.session_id = f.session_id
where f.funnel_steps_key = {{> funnel_steps_key}}
{{#if is_incremental}}
  and {{> local_time at="s.started_at"}}::DATE >= (
    select min({{> local_time at="started_at"}})::DATE from {{ref "sessions"}} where loaded_at > {{watermark}}
  )
{{/if}}
group by 1, 2
order by 1, 2
