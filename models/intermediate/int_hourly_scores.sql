{{config materialized="incremental" incremental_strategy="time_range" time_column="hour" watermark="loaded_at" tags="intermediate"}}
-- Hourly event counts against the same hour of day over the previous 14 days, with a robust z-score
-- (anomalies adds the threshold). Hours are UTC hours; "the same hour of day" is on the clock of var
-- timezone, which visitors live by: after a clock change, 09:00 is still compared with 09:00.
-- (Around the change a 14-day window holds 13 or 15 such hours.)
-- Incremental: an hour's score reads only the 14 days before it, so a recount of some hours changes
-- the scores from the earliest of them on. Those hours are recomputed, reading 14 days before them,
-- and replace the stored ones (time_range); so are the empty hours between the last stored hour and
-- the recount, which no recount names.

with
{{#if is_incremental}}
since as (
  select
    case when recounted.hour is not null
      then least(recounted.hour, (select max(hour) + interval 1 hour from {{self}}))
    end as hour
  from (
    select min(hour) as hour from {{ref "int_hourly_events"}} where loaded_at > {{watermark}}
  ) as recounted
),
{{/if}}

-- The hours to lay out: every hour between the first and the last hour of data (from 14 days
-- before the earliest recount, in an incremental run; none when nothing was recounted).
bounds as (
  select
    {{#if is_incremental}}
    case when (select hour from since) is not null
      then greatest(min(hour), (select hour from since) - interval 14 day)
    end as first_hour,
    {{else}}
    min(hour) as first_hour,
    {{/if}}
    max(hour) as last_hour
  from {{ref "int_hourly_events"}}
),

-- 0 where nothing happened.
hourly as (
  select series.hour, coalesce(counted.events, 0)::INTEGER as events, counted.loaded_at
  from (
    select unnest(generate_series(first_hour, last_hour, interval 1 hour)) as hour from bounds
  ) as series
  left join {{ref "int_hourly_events"}} as counted on counted.hour = series.hour
),

-- The same hour of day on each of the previous 14 days that lie within the data.
history as (
  select
    hourly.hour,
    hourly.events,
    hourly.loaded_at,
    list(earlier.events::DOUBLE) filter (where earlier.hour is not null) as points
  from hourly
  left join hourly as earlier
    on earlier.hour < hourly.hour
    and earlier.hour >= hourly.hour - interval 14 day
    and hour({{> local_time at="earlier.hour"}}) = hour({{> local_time at="hourly.hour"}})
  {{#if is_incremental}}
  where hourly.hour >= (select hour from since)
  {{/if}}
  group by hourly.hour, hourly.events, hourly.loaded_at
),

baselined as (
  select
    hour,
    events,
    loaded_at,
    points,
    case when len(points) >= 7 then list_aggregate(points, 'median') end as baseline
  from history
),

spread as (
  select
    *,
    list_aggregate(list_transform(points, x -> abs(x - baseline)), 'median') as mad,
    list_aggregate(list_transform(points, x -> abs(x - baseline)), 'avg') as mean_abs_dev
  from baselined
),

-- The spread is at least one event: counts are whole, and a history that never moved (every day 0,
-- or every day 10) has no spread at all, which left a flood in such an hour unscored and unflagged,
-- while a quiet hour whose history moved once by two events got a spread of a fraction of an event
-- and was flagged for every event more.
scored as (
  select
    hour,
    events,
    loaded_at,
    baseline,
    case
      when baseline is null then null
      else (events - baseline) / greatest(
        case when mad > 0 then 1.4826 * mad else 1.2533 * mean_abs_dev end,
        1.0
      )
    end as z
  from spread
)

select hour, events, baseline::DOUBLE as baseline, z::DOUBLE as z, loaded_at
from scored
order by hour
