{{config materialized="table" tags="marts"}}
-- Sessions reaching each ordered step of var funnel_steps (how far each session got is in
-- int_session_funnel, counted per day in int_daily_funnel).

-- Typed by a first member without rows, so that funnel_steps: [] gives a funnel without steps.
with steps(step, step_name) as (
  select NULL::INTEGER, NULL::VARCHAR where false
  {{#each vars.funnel_steps}}
  union all select {{@index}} + 1, {{literal name}}
  {{/each}}
),

-- Sessions by the last step they reached, then summed over the steps at or past each step: the
-- join is over a handful of rows instead of every session.
furthest as (
  select steps_reached, sum(sessions) as sessions from {{ref "int_daily_funnel"}} group by steps_reached
),

counts as (
  select steps.step, steps.step_name, coalesce(sum(furthest.sessions), 0)::INTEGER as sessions
  from steps
  left join furthest on furthest.steps_reached >= steps.step
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
