{{config materialized="incremental" unique_key="session_id" watermark="loaded_at" tags="intermediate"}}
-- How far each session got in the ordered steps of var funnel_steps: it reaches step 1 at its
-- earliest matching event, and step k at its earliest matching event at or after it reached step k-1
-- that filled no earlier step. One event fills one step: otherwise a single page view would reach
-- both "a page" and "a second page", or both "any page" and "the pricing page".
-- Incremental like sessions. funnel_steps_key records the steps the row was computed with; after a
-- change of funnel_steps the runner rebuilds the model in full (its definition changed).

with recursive events as materialized (
  select *
  from {{ref "stg_events"}}
  where {{> session_events}}
),

-- Typed by a first member without rows, so that funnel_steps: [] is a funnel without steps.
matches(step, session_id, event_ts, event_id) as (
  select NULL::INTEGER, NULL::VARCHAR, NULL::TIMESTAMP, NULL::UUID where false
  {{#each vars.funnel_steps}}
  union all
  select {{@index}} + 1, session_id, event_ts, event_id
  from events
  where event_type = {{literal event_type}}{{#if condition}} and ({{condition}}){{/if}}
  {{/each}}
),

-- used: the events that filled the steps so far. They all lie at or before reached_at, so the list
-- is looked at only for a candidate at that very instant.
reached(step, session_id, reached_at, used) as (
  select 1, session_id, min(event_ts), [arg_min(event_id, (event_ts, event_id))]
  from matches
  where step = 1
  group by session_id
  union all
  select
    matches.step,
    matches.session_id,
    min(matches.event_ts),
    list_append(any_value(reached.used), arg_min(matches.event_id, (matches.event_ts, matches.event_id)))
  from reached
  join matches
    on matches.session_id = reached.session_id
    and matches.step = reached.step + 1
    and matches.event_ts >= reached.reached_at
    and not (matches.event_ts = reached.reached_at and list_contains(reached.used, matches.event_id))
  group by matches.step, matches.session_id
),

-- The session's start over all its events, as in sessions: the day int_daily_funnel counts it on,
-- carried here so that int_daily_funnel reads one input with one watermark.
loads as (
  select session_id, min(event_ts) as started_at, max(loaded_at) as loaded_at from events group by session_id
)

select
  reached.session_id,
  max(reached.step)::INTEGER as steps_reached,
  {{> funnel_steps_key}} as funnel_steps_key,
  any_value(loads.started_at) as started_at,
  any_value(loads.loaded_at) as loaded_at
from reached
join loads on loads.session_id = reached.session_id
group by reached.session_id
-- Stored in id order: the tracker's ids start with their time, so a run's lookups and merges by id
-- skip the row groups of older sessions.
order by reached.session_id
