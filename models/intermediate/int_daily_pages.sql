{{config materialized="incremental" incremental_strategy="time_range" time_column="date" watermark="loaded_at" tags="intermediate"}}
-- Per local date (var timezone) and page_path, the counts and sums behind the pages mart, so that it
-- adds up days rather than every session. A session's views of a path count on the date of its first view of it,
-- and so does its exit from it: a day's exits of a page are among that day's sessions of it, and a
-- period's share of a page's sessions that left from it is never above 1. Both dates lie at or after
-- the session's start, which only moves earlier as events arrive, so every date a newly loaded row
-- changes lies at or after the earliest of their first views and starts: an incremental run
-- recomputes the dates from there on (time_range), and a date a row moved away from goes with them.
-- Each of the two inputs has its own watermark (views_loaded_at, exits_loaded_at): a run that
-- selected only one of them built would otherwise leave the other's new rows behind for good.

with
{{#if is_incremental}}
since as (
  select least(
    (
      select min({{> local_time at="first_viewed_at"}}) from {{ref "int_session_pages"}}
      where loaded_at > (select max(views_loaded_at) from {{self}})
    ),
    (
      select min({{> local_time at="started_at"}}) from {{ref "sessions"}}
      where loaded_at > (select max(exits_loaded_at) from {{self}})
    )
  )::DATE as date
),
{{/if}}

viewed as (
  select
    {{> local_time at="first_viewed_at"}}::DATE as date,
    page_path,
    sum(views) as views,
    count(*) as sessions,
    count(*) filter (where max_scroll_pct >= 25) as reached_25,
    count(*) filter (where max_scroll_pct >= 50) as reached_50,
    count(*) filter (where max_scroll_pct >= 75) as reached_75,
    count(*) filter (where max_scroll_pct >= 100) as reached_100,
    sum(engaged_s) as engaged_s,
    count(*) filter (where engaged_s >= 30) as engaged_30s,
    count(*) filter (where engaged_s >= 60) as engaged_60s,
    count(*) filter (where engaged_s >= 180) as engaged_180s,
    count(*) filter (where engaged_s >= 300) as engaged_300s,
    max(loaded_at) as loaded_at
  from {{ref "int_session_pages"}}
  {{#if is_incremental}}
  where {{> local_time at="first_viewed_at"}}::DATE >= (select date from since)
  {{/if}}
  group by 1, 2
),

exited as (
  select
    {{> local_time at="viewed.first_viewed_at"}}::DATE as date,
    sessions.exit_page as page_path,
    count(*) as exits,
    max(sessions.loaded_at) as loaded_at
  from {{ref "sessions"}} as sessions
  join {{ref "int_session_pages"}} as viewed
    on viewed.session_id = sessions.session_id and viewed.page_path = sessions.exit_page
  {{#if is_incremental}}
  -- A session's views all lie at or before its end: one that ended before the dates recomputed has
  -- no exit among them, and the condition lets DuckDB skip the older sessions' row groups.
  where {{> local_time at="viewed.first_viewed_at"}}::DATE >= (select date from since)
    and {{> local_time at="sessions.ended_at"}}::DATE >= (select date from since)
  {{/if}}
  group by 1, 2
)

select
  date,
  page_path,
  coalesce(viewed.views, 0)::BIGINT as views,
  coalesce(viewed.sessions, 0)::BIGINT as sessions,
  coalesce(viewed.reached_25, 0)::BIGINT as reached_25,
  coalesce(viewed.reached_50, 0)::BIGINT as reached_50,
  coalesce(viewed.reached_75, 0)::BIGINT as reached_75,
  coalesce(viewed.reached_100, 0)::BIGINT as reached_100,
  coalesce(viewed.engaged_s, 0)::BIGINT as engaged_s,
  coalesce(viewed.engaged_30s, 0)::BIGINT as engaged_30s,
  coalesce(viewed.engaged_60s, 0)::BIGINT as engaged_60s,
  coalesce(viewed.engaged_180s, 0)::BIGINT as engaged_180s,
  coalesce(viewed.engaged_300s, 0)::BIGINT as engaged_300s,
  coalesce(exited.exits, 0)::BIGINT as exits,
  viewed.loaded_at as views_loaded_at,
  exited.loaded_at as exits_loaded_at,
  greatest(viewed.loaded_at, exited.loaded_at) as loaded_at
from viewed
full join exited using (date, page_path)
order by date, page_path
