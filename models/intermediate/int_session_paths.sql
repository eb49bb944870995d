{{config materialized="incremental" unique_key="session_id" watermark="loaded_at" tags="intermediate"}}
-- Each session's steps from page to page, the transitions paths counts: its page views ordered by
-- (event_ts, event_id), a view of the path it is already on dropped (a reload is not a step), between
-- an "(entrance)" before the first and an "(exit)" after the last, so that every page is left as
-- often as it is entered. One row per session with its steps as a list: a late event can remove a
-- step (one viewed in between splits it in two), and a merge by session replaces them all.
-- Incremental like sessions.

-- One pass over the session's events: its page views gathered in order as a list, and the steps
-- worked out on each list (consecutive views of one path dropped, then each path paired with the one
-- before it and counted), which takes half the time of window functions and a second grouping.
with per_session as (
  select
    session_id,
    -- The session's start over all its events, as in sessions: the day int_daily_paths counts it on.
    min(event_ts) as started_at,
    max(loaded_at) as loaded_at,
    list(page_path order by event_ts, event_id)
      filter (where event_type = 'page_view' and page_path is not null) as views
  from {{ref "stg_events"}}
  where {{> session_events}}
  group by session_id
),

visits as (
  select session_id, started_at, loaded_at, list_filter(views, (path, i) -> i = 1 or path <> views[i - 1]) as visits
  from per_session
  -- A session without a page view has no steps, and no row.
  where views is not null
)

select
  session_id,
  started_at,
  -- Each visit is a step from the one before ("(entrance)" for the first), and "(exit)" one from the
  -- last; histogram counts each distinct step once with its transitions.
  list_sort(list_transform(
    map_entries(list_aggregate(
      list_transform(
        list_append(visits, '(exit)'),
        (path, i) -> {'from_page': if(i = 1, '(entrance)', visits[i - 1]), 'to_page': path}
      ),
      'histogram'
    )),
    step -> {'from_page': step.key.from_page, 'to_page': step.key.to_page, 'transitions': step.value::INTEGER}
  )) as steps,
  loaded_at
from visits
-- Stored in id order: the tracker's ids start with their time, so a run's lookups and merges by id
-- skip the row groups of older sessions.
order by session_id
