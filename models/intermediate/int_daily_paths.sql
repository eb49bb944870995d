{{config materialized="incremental" incremental_strategy="time_range" time_column="date" watermark="loaded_at" tags="intermediate"}}
-- Transitions from page to page per local date (var timezone) of the session's start, the rows paths
-- sums and the reports filter by period. A session counts wholly on the day it started, so its
-- sessions add up across days.
-- Incremental: a session's start only moves earlier as its events arrive, so the dates from the
-- earliest start among the int_session_paths rows loaded since this table's last load are recomputed
-- and replace the stored ones (time_range).

select
  {{> local_time at="started_at"}}::DATE as date,
  step.from_page,
  step.to_page,
  sum(step.transitions)::BIGINT as transitions,
  count(*)::BIGINT as sessions,
  max(loaded_at) as loaded_at
from (select started_at, loaded_at, unnest(steps) as step from {{ref "int_session_paths"}}
{{#if is_incremental}}
  where {{> local_time at="started_at"}}::DATE >= (
    select min({{> local_time at="started_at"}})::DATE from {{ref "int_session_paths"}} where loaded_at > {{watermark}}
  )
{{/if}}
)
group by 1, 2, 3
order by 1, 2, 3
