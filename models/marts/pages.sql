{{config materialized="table" tags="marts"}}
-- One row per page_path that had a page view: views, sessions, scroll reach, engaged time, exits.

with events as (
  select * from {{ref "stg_events"}} where not is_bot and session_id is not null and page_path is not null
),

-- Each session's behaviour on each path it viewed.
session_pages as (
  select
    page_path,
    session_id,
    count(*) filter (where event_type = 'page_view') as views,
    coalesce(max(scroll_pct) filter (where event_type = 'scroll_depth'), 0) as max_scroll_pct,
    coalesce(max(seconds) filter (where event_type = 'time_on_page'), 0) as engaged_s
  from events
  group by page_path, session_id
  having count(*) filter (where event_type = 'page_view') > 0
),

exits as (
  select exit_page as page_path, count(*) as exits
  from {{ref "sessions"}}
  where exit_page is not null
  group by exit_page
)

select
  session_pages.page_path,
  sum(views)::INTEGER as views,
  count(*)::INTEGER as sessions,
  avg(case when max_scroll_pct >= 25 then 1.0 else 0.0 end)::DOUBLE as reach_25,
  avg(case when max_scroll_pct >= 50 then 1.0 else 0.0 end)::DOUBLE as reach_50,
  avg(case when max_scroll_pct >= 75 then 1.0 else 0.0 end)::DOUBLE as reach_75,
  avg(case when max_scroll_pct >= 100 then 1.0 else 0.0 end)::DOUBLE as reach_100,
  avg(engaged_s)::DOUBLE as avg_engaged_s,
  -- Time milestones: share of the sessions whose time on the page reached 30 s, 1, 3 and 5 minutes.
  avg(case when engaged_s >= 30 then 1.0 else 0.0 end)::DOUBLE as engaged_30s,
  avg(case when engaged_s >= 60 then 1.0 else 0.0 end)::DOUBLE as engaged_60s,
  avg(case when engaged_s >= 180 then 1.0 else 0.0 end)::DOUBLE as engaged_180s,
  avg(case when engaged_s >= 300 then 1.0 else 0.0 end)::DOUBLE as engaged_300s,
  coalesce(any_value(exits.exits), 0)::INTEGER as exits
from session_pages
left join exits on exits.page_path = session_pages.page_path
group by session_pages.page_path
order by views desc, session_pages.page_path
