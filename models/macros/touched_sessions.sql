{{!-- The sessions with events stored in stg_events since this model's last load (its watermark):
an incremental model recomputes each of them from all their events. Use: and {{> touched_sessions}} --~}}
session_id in (select session_id from {{ref "stg_events"}} where loaded_at > {{watermark}})
