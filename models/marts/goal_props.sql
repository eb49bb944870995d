{{config materialized="table" tags="marts"}}
-- The values of each custom event's properties: per name, key and value, events and sessions. Only
-- a key's 25 most frequent values are kept: a free-text or numeric property would otherwise add a
-- row per distinct value, which no report could show.

select
  name,
  prop_key,
  prop_value,
  sum(events)::INTEGER as events,
  count(*)::INTEGER as sessions
from {{ref "int_session_goal_props"}}
group by name, prop_key, prop_value
qualify row_number() over (partition by name, prop_key order by sum(events) desc, prop_value) <= 25
order by name, prop_key, events desc, prop_value
