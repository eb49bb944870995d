-- int_session_funnel was computed with the current var funnel_steps: the runner rebuilds it in full
-- when funnel_steps changes, since an incremental run only recomputes the sessions it touches.
select session_id, funnel_steps_key
from {{ref "int_session_funnel"}}
where funnel_steps_key <> {{> funnel_steps_key}}
limit 10
