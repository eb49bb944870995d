{{config materialized="table" tags="marts"}}
-- Weekly retention of visitors with a visitor_id, by the ISO week (Monday) of their first session.

-- One row per visitor with the distinct weeks they were active in: one grouping pass, where a
-- distinct (visitor, week) list, a per-visitor minimum and a join back would take three.
with visitors as (
  select visitor_id, list_distinct(list(date_trunc('week', started_at)::DATE)) as weeks
  from {{ref "sessions"}}
  where visitor_id is not null
  group by visitor_id
),

activity as (
  select
    cohort_week,
    ((active_week - cohort_week) // 7)::INTEGER as weeks_since,
    count(*)::INTEGER as visitors
  from (select list_min(weeks) as cohort_week, unnest(weeks) as active_week from visitors)
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
