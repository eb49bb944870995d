-- The grains with composite keys hold one row per key.
select 'attribution' as model, model || ' / ' || channel || ' / ' || source || ' / ' || campaign as key
from {{ref "attribution"}}
group by model, channel, source, campaign
having count(*) > 1
union all
select 'cohorts', cohort_week || ' / ' || weeks_since
from {{ref "cohorts"}}
group by cohort_week, weeks_since
having count(*) > 1
union all
select 'experiments', experiment || ' / ' || variant
from {{ref "experiments"}}
group by experiment, variant
having count(*) > 1
union all
select 'int_session_pages', session_id || ' / ' || page_path
from {{ref "int_session_pages"}}
group by session_id, page_path
having count(*) > 1
union all
select 'int_session_exposures', session_id || ' / ' || experiment
from {{ref "int_session_exposures"}}
group by session_id, experiment
having count(*) > 1
union all
select 'paths', from_page || ' / ' || to_page
from {{ref "paths"}}
group by from_page, to_page
having count(*) > 1
union all
select 'int_daily_paths', date || ' / ' || from_page || ' / ' || to_page
from {{ref "int_daily_paths"}}
group by date, from_page, to_page
having count(*) > 1
union all
select 'goals', event_type || ' / ' || name
from {{ref "goals"}}
group by event_type, name
having count(*) > 1
union all
select 'goal_props', name || ' / ' || prop_key || ' / ' || prop_value
from {{ref "goal_props"}}
group by name, prop_key, prop_value
having count(*) > 1
union all
select 'int_daily_funnel', date || ' / ' || steps_reached
from {{ref "int_daily_funnel"}}
group by date, steps_reached
having count(*) > 1
