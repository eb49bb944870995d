{{config materialized="incremental" incremental_strategy="time_range" time_column="active_week" watermark="loaded_at" tags="intermediate"}}
-- The rows of cohorts: weekly retention of visitors with a visitor_id, by the ISO week (Monday, in
-- var timezone) of their first session; timezone names the zone the weeks are in.
-- Incremental: sessions only gain events, so a session's start only moves earlier. Every change that
-- sessions loaded since this table's last load can make (a visitor's new or lost week, a visitor
-- moved to an earlier cohort or out of one) falls on an activity week at or after the earliest of
-- their starts' weeks. The rows of those activity weeks are recomputed and replace the stored ones
-- (time_range); an earlier cohort's size is read from its stored week-0 row, which cannot change.
-- The recompute starts at that week (range_start, below), and the run replaces the stored rows from it
-- on, also when that week comes out without any visitor (its sessions turned out to have no
-- visitor_id).

{{#if is_incremental}}
{{#range_start}}
select date_trunc('week', min({{> local_time at="started_at"}}))::DATE from {{ref "sessions"}}
where loaded_at > {{watermark}}
{{/range_start}}
{{/if}}
with
-- One row per visitor with the distinct weeks they were active in: one grouping pass, where a
-- distinct (visitor, week) list, a per-visitor minimum and a join back would take three. An
-- incremental run needs only the visitors active since then, with all their weeks.
visitors as (
  select
    visitor_id,
    list_distinct(list(date_trunc('week', {{> local_time at="started_at"}})::DATE)) as weeks,
    max(loaded_at) as loaded_at
  from {{ref "sessions"}}
  where visitor_id is not null
  {{#if is_incremental}}
    and visitor_id in (
      select visitor_id from {{ref "sessions"}}
      where {{> local_time at="started_at"}}::DATE >= {{range_start}}
    )
  {{/if}}
  group by visitor_id
),

activity as (
  select cohort_week, active_week, count(*)::INTEGER as visitors, max(loaded_at) as loaded_at
  from (select list_min(weeks) as cohort_week, unnest(weeks) as active_week, loaded_at from visitors)
  {{#if is_incremental}}
  where active_week >= {{range_start}}
  {{/if}}
  group by 1, 2
),

sizes as (
  select cohort_week, visitors as cohort_size from activity where active_week = cohort_week
  {{#if is_incremental}}
  union all
  select cohort_week, cohort_size
  from {{self}}
  where cohort_week < {{range_start}} and weeks_since = 0
  {{/if}}
)

select
  cohort_week,
  ((active_week - cohort_week) // 7)::INTEGER as weeks_since,
  active_week,
  visitors,
  cohort_size,
  (visitors / cohort_size)::DOUBLE as retention,
  {{var "timezone"}} as timezone,
  loaded_at
from activity
join sizes using (cohort_week)
order by cohort_week, weeks_since
