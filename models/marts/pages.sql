{{config materialized="table" tags="marts"}}
-- One row per page_path that had a page view: views, sessions, scroll reach, engaged time, exits.
-- Summed from the per-day counts of int_daily_pages, so its cost follows days × paths, not sessions.

select
  page_path,
  sum(views)::INTEGER as views,
  sum(sessions)::INTEGER as sessions,
  (sum(reached_25) / sum(sessions))::DOUBLE as reach_25,
  (sum(reached_50) / sum(sessions))::DOUBLE as reach_50,
  (sum(reached_75) / sum(sessions))::DOUBLE as reach_75,
  (sum(reached_100) / sum(sessions))::DOUBLE as reach_100,
  (sum(engaged_s) / sum(sessions))::DOUBLE as avg_engaged_s,
  -- Time milestones: share of the sessions whose time on the page reached 30 s, 1, 3 and 5 minutes.
  (sum(engaged_30s) / sum(sessions))::DOUBLE as engaged_30s,
  (sum(engaged_60s) / sum(sessions))::DOUBLE as engaged_60s,
  (sum(engaged_180s) / sum(sessions))::DOUBLE as engaged_180s,
  (sum(engaged_300s) / sum(sessions))::DOUBLE as engaged_300s,
  sum(exits)::INTEGER as exits
from {{ref "int_daily_pages"}}
group by page_path
having sum(sessions) > 0
order by views desc, page_path
