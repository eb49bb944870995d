{{config materialized="table" tags="marts"}}
-- Sessions reaching each ordered step of var funnel_steps. A session reaches step 1 at its earliest
-- matching event, and step k at its earliest matching event at or after it reached step k-1.

with recursive steps(step, step_name) as (
  values
  {{#each vars.funnel_steps}}
    {{#unless @first}},{{/unless}} ({{@index}} + 1, {{literal name}})
  {{/each}}
),

events as (
  select * from {{ref "stg_events"}} where not is_bot and session_id is not null and event_ts is not null
),

matches(step, session_id, event_ts) as (
  {{#each vars.funnel_steps}}
  {{#unless @first}}union all{{/unless}}
  select {{@index}} + 1, session_id, event_ts
  from events
  where event_type = {{literal event_type}}{{#if condition}} and ({{condition}}){{/if}}
  {{/each}}
),

reached(step, session_id, reached_at) as (
  select 1, session_id, min(event_ts) from matches where step = 1 group by session_id
  union all
  select matches.step, matches.session_id, min(matches.event_ts)
  from reached
  join matches
    on matches.session_id = reached.session_id
    and matches.step = reached.step + 1
    and matches.event_ts >= reached.reached_at
  group by matches.step, matches.session_id
),

counts as (
  select steps.step, steps.step_name, count(reached.session_id)::INTEGER as sessions
  from steps
  left join reached on reached.step = steps.step
  group by steps.step, steps.step_name
)

select
  step,
  step_name,
  sessions,
  case
    when step = 1 then 1.0
    else coalesce(sessions / nullif(lag(sessions) over (order by step), 0), 0.0)
  end::DOUBLE as conversion_from_previous,
  coalesce(sessions / nullif(first_value(sessions) over (order by step), 0), 0.0)::DOUBLE
    as conversion_from_start
from counts
order by step
