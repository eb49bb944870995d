{{config materialized="incremental" unique_key="session_id" watermark="loaded_at" tags="intermediate"}}
-- Each session's steps from page to page, the transitions paths counts: its page views ordered by
-- (event_ts, event_id), a view of the path it is already on dropped (a reload is not a step), between
-- an "(entrance)" before the first and an "(exit)" after the last, so that every page is left as
-- often as it is entered. One row per session with its steps as a list: a late event can remove a
-- step (one viewed in between splits it in two), and a merge by session replaces them all.
-- Incremental like sessions.

with events as materialized (
  select session_id, event_type, page_path, event_ts, event_id, loaded_at
  from {{ref "stg_events"}}
  where {{> session_events}}
),

-- The session's start over all its events, as in sessions: the day int_daily_paths counts it on.
per_session as (
  select session_id, min(event_ts) as started_at, max(loaded_at) as loaded_at
  from events
  group by session_id
),

views as (
  select
    session_id,
    page_path,
    event_ts,
    event_id,
    lag(page_path) over (partition by session_id order by event_ts, event_id) as previous_path
  from events
  where event_type = 'page_view' and page_path is not null
),

visits as (
  select session_id, page_path, event_ts, event_id
  from views
  where previous_path is distinct from page_path
),

steps as (
  select
    session_id,
    coalesce(lag(page_path) over visit_order, '(entrance)') as from_page,
    page_path as to_page
  from visits
  window visit_order as (partition by session_id order by event_ts, event_id)
  union all
  select session_id, arg_max(page_path, (event_ts, event_id)) as from_page, '(exit)' as to_page
  from visits
  group by session_id
),

step_counts as (
  select session_id, from_page, to_page, count(*)::INTEGER as transitions
  from steps
  group by session_id, from_page, to_page
)

select
  session_id,
  any_value(per_session.started_at) as started_at,
  list(
    {'from_page': from_page, 'to_page': to_page, 'transitions': transitions}
    order by from_page, to_page
  ) as steps,
  any_value(per_session.loaded_at) as loaded_at
from step_counts
join per_session using (session_id)
group by session_id
-- Stored in id order: the tracker's ids start with their time, so a run's lookups and merges by id
-- skip the row groups of older sessions.
order by session_id
