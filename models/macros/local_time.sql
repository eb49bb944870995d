{{!-- A stored UTC TIMESTAMP as the wall-clock time of var timezone, the zone whose calendar days and ISO
weeks the models count in: {{> local_time at="started_at"}}::DATE is the local day. In UTC the
column is used as it is (DuckDB folds the constant case), so the default costs no conversion.
Use: {{> local_time at="column"}} --~}}
(case when {{var "timezone"}} = 'UTC' then {{at}} else timezone({{var "timezone"}}, timezone('UTC', {{at}})) end)
