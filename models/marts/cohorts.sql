{{config materialized="table" tags="marts"}}
-- Weekly retention of visitors with a visitor_id, by the ISO week (Monday) of their first session.

with visitor_weeks as (
  select distinct visitor_id, date_trunc('week', started_at)::DATE as active_week
  from {{ref "sessions"}}
  where visitor_id is not null
),

cohort_of as (
  select visitor_id, min(active_week) as cohort_week
  from visitor_weeks
  group by visitor_id
),

activity as (
  select
    cohort_of.cohort_week,
    ((visitor_weeks.active_week - cohort_of.cohort_week) // 7)::INTEGER as weeks_since,
    count(distinct visitor_weeks.visitor_id)::INTEGER as visitors
  from visitor_weeks
  join cohort_of on cohort_of.visitor_id = visitor_weeks.visitor_id
  group by 1, 2
)

select
  cohort_week,
  weeks_since,
  visitors,
  (first_value(visitors) over (partition by cohort_week order by weeks_since))::INTEGER as cohort_size,
  (visitors / first_value(visitors) over (partition by cohort_week order by weeks_since))::DOUBLE
    as retention
from activity
order by cohort_week, weeks_since
