{{!-- The name a goal goes by: a CTA's or form's element (its data-cta value, form id or name), a custom
event's name, and "(unnamed)" for one sent without it or with an empty or blank one (a bare data-cta
attribute), so that it still counts under one name rather than a NULL key or a blank label. int_session_goals (and so the goals mart), int_session_goal_props (goal_props) and int_goal_events (the goals page)
all name goals with it, so the marts and the page cannot name one goal two ways.
Use: {{> goal_name}} as name --~}}
case when trim(coalesce(case when event_type = 'custom' then name else element end, '')) = '' then '(unnamed)'
  else case when event_type = 'custom' then name else element end end
