{{config materialized="table" tags="marts"}}
-- Weekly retention of visitors with a visitor_id, by the ISO week (Monday, in the time zone named by
-- timezone) of their first session:
-- the rows of int_cohort_activity (incremental) that have visitors.

select cohort_week, weeks_since, active_week, visitors, cohort_size, retention, timezone, loaded_at
from {{ref "int_cohort_activity"}}
where visitors > 0
order by cohort_week, weeks_since
