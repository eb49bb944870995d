{{!-- A visitor-sent name as the models show it: "(unnamed)" for a NULL, empty or blank one, as goal_name
names a goal, so that it counts under one name rather than a blank label per spelling of blank.
Use: {{> unnamed of="column"}} as column --~}}
case when trim(coalesce({{of}}, '')) = '' then '(unnamed)' else {{of}} end
