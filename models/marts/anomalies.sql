{{config materialized="table" tags="marts"}}
-- Hourly event counts against the same hour of day over the previous 14 days, with a robust z-score.

with counted as (
  select hour, events from {{ref "int_hourly_events"}}
),

-- Every hour between the first and the last hour of data, 0 where nothing happened.
hourly as (
  select series.hour, coalesce(counted.events, 0)::INTEGER as events
  from (
    select unnest(generate_series(min(hour), max(hour), interval 1 hour)) as hour from counted
  ) as series
  left join counted on counted.hour = series.hour
),

-- The same hour of day on each of the previous 14 days that lie within the data.
history as (
  select
    hourly.hour,
    hourly.events,
    list(earlier.events::DOUBLE) filter (where earlier.hour is not null) as points
  from hourly
  left join hourly as earlier
    on earlier.hour < hourly.hour
    and earlier.hour >= hourly.hour - interval 14 day
    and hour(earlier.hour) = hour(hourly.hour)
  group by hourly.hour, hourly.events
),

baselined as (
  select
    hour,
    events,
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

scored as (
  select
    hour,
    events,
    baseline,
    case
      when baseline is null then null
      when mad > 0 then (events - baseline) / (1.4826 * mad)
      when mean_abs_dev > 0 then (events - baseline) / (1.2533 * mean_abs_dev)
    end as z
  from spread
)

select
  hour,
  events,
  baseline::DOUBLE as baseline,
  z::DOUBLE as z,
  coalesce(abs(z) > {{var "anomaly_z"}}, false) as is_anomaly
from scored
order by hour
