{{config materialized="incremental" unique_key="session_id,page_path" watermark="loaded_at" tags="intermediate"}}
-- Each session's behaviour on each path it viewed: page views, deepest scroll, longest time on page.
-- Incremental like sessions: only the sessions with events stored since this table's last load are
-- recomputed, from all their events.

select
  session_id,
  page_path,
  (count(*) filter (where event_type = 'page_view'))::INTEGER as views,
  coalesce(max(scroll_pct) filter (where event_type = 'scroll_depth'), 0) as max_scroll_pct,
  coalesce(max(seconds) filter (where event_type = 'time_on_page'), 0) as engaged_s,
  min(event_ts) filter (where event_type = 'page_view') as first_viewed_at,
  max(loaded_at) as loaded_at
from {{ref "stg_events"}}
where {{> session_events}} and page_path is not null
group by session_id, page_path
having count(*) filter (where event_type = 'page_view') > 0
-- Stored in id order: the tracker's ids start with their time, so a run's lookups and merges by id
-- skip the row groups of older sessions.
order by session_id, page_path
