{{config materialized="incremental" unique_key="session_id,experiment" watermark="loaded_at" tags="intermediate"}}
-- Each session's first exposure in each experiment (by event_ts, then event_id) and whether the
-- session converted at or after it. Only sessions with an exposure have rows.
-- Incremental like sessions: the sessions with events loaded since this table's last load are
-- recomputed from all their events. The events are read twice on purpose (not materialized): the
-- exposures are few, and holding every event for a second look would cost more than reading again.

with events as not materialized (
  select session_id, event_id, event_type, event_ts, experiment, variant, visitor_id, loaded_at
  from {{ref "stg_events"}}
  where {{> session_events}}
),

-- A blank experiment or variant (the collector takes "" and "  ") is "(unnamed)", as a blank goal is.
named_exposures as (
  select session_id, event_id, event_ts, {{> unnamed of="experiment"}} as experiment, {{> unnamed of="variant"}} as variant
  from events
  where {{> of_event_types types="['experiment_exposure']"}} and experiment is not null and variant is not null
),

exposures as (
  select session_id, experiment, variant, event_ts as exposed_at
  from named_exposures
  qualify row_number() over (partition by experiment, session_id order by event_ts, event_id) = 1
),

exposed_sessions as (
  select
    session_id,
    max(event_ts) filter (where list_contains({{var "conversion_events"}}, event_type)) as last_converted_at,
    -- The session's visitor as sessions has it (its first event's), so that the experiments' split
    -- check counts visitors without reading every session.
    arg_min_null(visitor_id, (event_ts, event_id)) as visitor_id,
    max(loaded_at) as loaded_at
  from events
  where session_id in (select session_id from exposures)
  group by session_id
)

select
  exposures.session_id,
  exposures.experiment,
  exposures.variant,
  exposures.exposed_at,
  coalesce(exposed_sessions.last_converted_at >= exposures.exposed_at, false) as converted,
  exposed_sessions.visitor_id,
  exposed_sessions.loaded_at
from exposures
join exposed_sessions using (session_id)
-- Stored in id order: the tracker's ids start with their time, so a run's lookups and merges by id
-- skip the row groups of older sessions.
order by exposures.session_id
