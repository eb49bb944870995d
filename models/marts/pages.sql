{{config materialized="table" tags="marts"}}
-- One row per page_path that had a page view: views, sessions, scroll reach, engaged time, exits.

with exits as (
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
from {{ref "int_session_pages"}} as session_pages
left join exits on exits.page_path = session_pages.page_path
group by session_pages.page_path
order by views desc, session_pages.page_path
