{{config materialized="incremental" unique_key="session_id,page_path" watermark="loaded_at" tags="intermediate"}}
-- Each session's behaviour on each path it viewed: page views, deepest scroll, longest time on page.
-- Incremental like sessions: only the sessions with events stored since this table's last load are
-- recomputed, from all their events.

{{#if is_incremental}}
with touched as (
  select distinct session_id
  from {{ref "stg_events"}}
  where loaded_at > {{watermark}} and not is_bot and session_id is not null and page_path is not null
),

-- No event of a touched session is older than its start in sessions, or than an event that
-- sessions has not read yet: that bound on event_ts lets DuckDB skip the row groups of older events.
since as (
  select least(
    (select min(started_at) from {{ref "sessions"}} where session_id in (select session_id from touched)),
    (
      select min(event_ts)
      from {{ref "stg_events"}}
      where loaded_at > least({{watermark}}, (select max(loaded_at) from {{ref "sessions"}}))
    )
  ) as event_ts
)
{{/if}}

select
  session_id,
  page_path,
  (count(*) filter (where event_type = 'page_view'))::INTEGER as views,
  coalesce(max(scroll_pct) filter (where event_type = 'scroll_depth'), 0) as max_scroll_pct,
  coalesce(max(seconds) filter (where event_type = 'time_on_page'), 0) as engaged_s,
  max(loaded_at) as loaded_at
from {{ref "stg_events"}}
where not is_bot and session_id is not null and page_path is not null
{{#if is_incremental}}
  and session_id in (select session_id from touched)
  and coalesce(event_ts, 'infinity'::TIMESTAMP) >= (select event_ts from since)
{{/if}}
group by session_id, page_path
having count(*) filter (where event_type = 'page_view') > 0
