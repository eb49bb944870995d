-- No funnel step has more sessions than the step before it.
select step, step_name, sessions, previous_sessions
from (
  select step, step_name, sessions, lag(sessions) over (order by step) as previous_sessions
  from {{ref "funnel"}}
)
where sessions > previous_sessions
