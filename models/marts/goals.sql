{{config materialized="table" tags="marts"}}
-- One row per goal: CTA clicks and form starts and submits by element, custom events by name, with
-- their events, sessions and visitors, the share of all sessions, and each form's completion.
-- Summed from int_session_goals, so its cost follows the sessions with a goal, not every event.

with all_sessions as (
  select count(*) as sessions from {{ref "sessions"}}
),

-- Per form and session: whether it was started and whether it was submitted.
form_sessions as (
  select
    name,
    bool_or(event_type = 'form_start') as started,
    bool_or(event_type = 'form_submit') as submitted
  from {{ref "int_session_goals"}}
  where event_type in ('form_start', 'form_submit')
  group by session_id, name
),

forms as (
  select
    name,
    count(*) filter (where started) as started,
    count(*) filter (where started and submitted) as completed
  from form_sessions
  group by name
)

select
  goals.event_type,
  goals.name,
  sum(goals.events)::INTEGER as events,
  count(*)::INTEGER as sessions,
  count(distinct goals.visitor_id)::INTEGER as visitors,
  (count(*) / any_value(all_sessions.sessions))::DOUBLE as session_share,
  -- Of the sessions that started the form, the share that also submitted it (NULL: none started it).
  case
    when goals.event_type in ('form_start', 'form_submit') and any_value(forms.started) > 0
      then (any_value(forms.completed) / any_value(forms.started))::DOUBLE
  end as completion
from {{ref "int_session_goals"}} as goals
cross join all_sessions
left join forms on goals.event_type in ('form_start', 'form_submit') and forms.name = goals.name
group by goals.event_type, goals.name
order by goals.event_type, events desc, goals.name
