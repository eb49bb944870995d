{{config materialized="incremental" unique_key="hour" watermark="loaded_at" tags="intermediate"}}
-- Non-bot events per UTC hour of event_ts (the series anomalies scores).
-- Incremental: stg_events only ever gains rows, so a run recounts just the hours that rows loaded
-- since this table's last load fall in. The range condition on event_ts is what lets DuckDB skip
-- the row groups before the earliest of those hours; the list condition keeps the count exact.

{{#if is_incremental}}
with touched as (
  select distinct date_trunc('hour', event_ts) as hour
  from {{ref "stg_events"}}
  where loaded_at > {{watermark}} and not is_bot and event_ts is not null
)
{{/if}}

select date_trunc('hour', event_ts) as hour, count(*) as events, max(loaded_at) as loaded_at
from {{ref "stg_events"}}
where not is_bot and event_ts is not null
{{#if is_incremental}}
  and event_ts >= (select min(hour) from touched)
  and date_trunc('hour', event_ts) in (select hour from touched)
{{/if}}
group by 1
