{{config materialized="table" tags="marts"}}
-- One row per step from a page to the next within sessions (from int_daily_paths): how often it was
-- taken, by how many sessions, and its share of all the steps leaving from_page. "(entrance)" is the
-- start of a session and "(exit)" its end, so each from_page's shares add up to 1.

select
  from_page,
  to_page,
  sum(transitions)::INTEGER as transitions,
  sum(sessions)::INTEGER as sessions,
  (sum(transitions) / sum(sum(transitions)) over (partition by from_page))::DOUBLE as share
from {{ref "int_daily_paths"}}
group by from_page, to_page
order by from_page, transitions desc, to_page
