{{!-- The stg_events rows the session models read: non-bot, with a session and a time, and in an
incremental run only those of the sessions touched since the model's last load, each recomputed from
all its events (touched_sessions). Use: from {{ref "stg_events"}} where {{> session_events}}
Narrow it to some event types with {{> of_event_types}}, never event_type in (…): see there why. --~}}
not is_bot and session_id is not null and event_ts is not null
{{#if is_incremental}}
  and {{> touched_sessions}}
{{/if}}
