{{config materialized="incremental" unique_key="session_id,event_type,name" watermark="loaded_at" tags="intermediate"}}
-- Each session's goal events (CTA clicks, form starts and submits, custom events) per goal: a CTA or
-- form by its element, a custom event by its name. The grain the goals mart counts sessions and
-- visitors over, which do not add up across days. Incremental like sessions: only the sessions with
-- events stored since this table's last load are recomputed, from all their events.

select
  session_id,
  event_type,
  {{> goal_name}} as name,
  count(*)::INTEGER as events,
  -- The visitor of the session's first goal event, as sessions take theirs from their first event.
  arg_min_null(visitor_id, (event_ts, event_id)) as visitor_id,
  min(event_ts) as first_at,
  max(loaded_at) as loaded_at
from {{ref "stg_events"}}
where {{> session_events}}
  and {{> of_event_types types="['cta_click', 'form_start', 'form_submit', 'custom']"}}
group by session_id, event_type, 3
order by session_id, event_type, name
