-- A goal's sessions each have at least one of its events and at most one visitor, and a form's
-- completion is a share of the sessions that started it: rows returned break one of these.
select event_type, name, events, sessions, visitors, session_share, completion
from {{ref "goals"}}
where sessions > events
  or visitors > sessions
  or session_share not between 0 and 1
  or completion not between 0 and 1
union all
select 'custom', name || ' / ' || prop_key || ' = ' || prop_value, events, sessions, null, null, null
from {{ref "goal_props"}}
where sessions > events
