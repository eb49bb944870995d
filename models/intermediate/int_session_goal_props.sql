{{config materialized="incremental" unique_key="session_id,name,prop_key,prop_value" watermark="loaded_at" tags="intermediate"}}
-- Each session's custom events per name, property key and value (numbers and booleans as their JSON
-- text: 2, true), the grain goal_props counts sessions over. Incremental like int_session_goals.

with custom as (
  select session_id, name, props, loaded_at
  from {{ref "stg_events"}}
  where {{> session_events}}
    and {{> of_event_types types="['custom']"}} and name is not null and props is not null
),

pairs as (
  select session_id, name, unnest(json_keys(props)) as prop_key, props, loaded_at from custom
)

select
  session_id,
  name,
  prop_key,
  props ->> prop_key as prop_value,
  count(*)::INTEGER as events,
  max(loaded_at) as loaded_at
from pairs
where props ->> prop_key is not null
group by session_id, name, prop_key, prop_value
order by session_id, name, prop_key, prop_value
