{{config materialized="incremental" incremental_strategy="time_range" time_column="date" watermark="loaded_at" tags="intermediate"}}
-- Sessions per local date (var timezone) of the session's start × the last step of var funnel_steps
-- they reached (int_session_funnel), so that the funnel and a report's period add up days rather
-- than every session.
-- Incremental as int_daily_sources: a session's start only moves earlier as its events arrive, so
-- the dates from the earliest start among int_session_funnel rows loaded since this table's last load
-- are recomputed and replace the stored ones (time_range). The start comes with int_session_funnel's
-- rows rather than from sessions: with a second input and the other's watermark, a run that had built
-- sessions but not int_session_funnel (a selection) left that one's newer rows out for good. The steps
-- are part of the definition (the key compared below), so a change of funnel_steps rebuilds it in
-- full, as it does int_session_funnel.

select
  {{> local_time at="started_at"}}::DATE as date,
  steps_reached,
  count(*)::BIGINT as sessions,
  max(loaded_at) as loaded_at
from {{ref "int_session_funnel"}}
where funnel_steps_key = {{> funnel_steps_key}}
{{#if is_incremental}}
  and {{> local_time at="started_at"}}::DATE >= (
    select min({{> local_time at="started_at"}})::DATE from {{ref "int_session_funnel"}} where loaded_at > {{watermark}}
  )
{{/if}}
group by 1, 2
order by 1, 2
