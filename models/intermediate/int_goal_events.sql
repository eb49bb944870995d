{{config materialized="view" tags="intermediate"}}
-- Every non-bot goal event (CTA clicks, form starts and submits, custom events), named as the goals
-- mart names its goal: what the goals page counts within its period, since the sessions and visitors
-- of int_session_goals do not add up over days. A view: it stores nothing beside stg_events.

select
  event_id,
  session_id,
  visitor_id,
  event_ts,
  event_type,
  {{> goal_name}} as name,
  page_path
from {{ref "stg_events"}}
where {{> session_events}}
  and {{> of_event_types types="['cta_click', 'form_start', 'form_submit', 'custom']"}}
