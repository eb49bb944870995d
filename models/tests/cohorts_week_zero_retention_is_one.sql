-- Every cohort is whole in its own week: week 0 retention is 1 and week 0 visitors are the cohort.
select cohort_week, visitors, cohort_size, retention
from {{ref "cohorts"}}
where weeks_since = 0 and (retention <> 1 or visitors <> cohort_size)
