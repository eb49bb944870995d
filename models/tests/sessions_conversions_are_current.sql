-- sessions.converted agrees with var conversion_events. sessions is incremental, and the runner
-- rebuilds it in full when conversion_events changes: merged rows must agree with the stored ones.
with converting as (
  select distinct session_id
  from {{ref "stg_events"}}
  where not is_bot and event_ts is not null and list_contains({{var "conversion_events"}}, event_type)
)

select sessions.session_id, sessions.converted
from {{ref "sessions"}} as sessions
left join converting on converting.session_id = sessions.session_id
where sessions.converted <> (converting.session_id is not null)
limit 10
