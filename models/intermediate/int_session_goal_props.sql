{{config materialized="incremental" unique_key="session_id,name,prop_key,prop_value" watermark="loaded_at" tags="intermediate"}}
-- Each session's custom events per name, property key and value (numbers and booleans as their JSON
-- text: 2, true), the grain goal_props counts sessions over. Incremental like int_session_goals.

-- Named as goals names them (goal_name): a blank name is "(unnamed)" in both.
with custom as (
  select session_id, {{> goal_name}} as name, props, loaded_at
  from {{ref "stg_events"}}
  where {{> session_events}}
    and {{> of_event_types types="['custom']"}} and props is not null
),

-- json_each, not props ->> key: a key is visitor-supplied text, and ->> reads "$[" or "/plan" as a
-- JSON path (an error, or another key's value) rather than as a name.
pairs as (
  select session_id, name, prop.key as prop_key, prop.value ->> '$' as prop_value, loaded_at
  from custom, json_each(custom.props) as prop
)

select
  session_id,
  name,
  prop_key,
  prop_value,
  count(*)::INTEGER as events,
  max(loaded_at) as loaded_at
from pairs
where prop_value is not null
group by session_id, name, prop_key, prop_value
order by session_id, name, prop_key, prop_value
