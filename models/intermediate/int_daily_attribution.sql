{{config materialized="incremental" incremental_strategy="time_range" time_column="date" watermark="changed_at" tags="intermediate"}}
-- Conversion credit per local date (var timezone) of the converting session's start × model ×
-- channel × source × campaign, so that attribution adds up days rather than every conversion's
-- touchpoints.
-- Incremental: a conversion's start only moves earlier as events arrive and conversions never go, so
-- the dates from the earliest start among conversions changed since this table's last load
-- (changed_at) are recomputed and replace the stored ones (time_range); all of them when var
-- attribution_window_days differs from the one the stored rows were summed with (int_conversion_touches
-- then recomputed every conversion without loading anything new).

with
{{#if is_incremental}}
since as (
  select
    case
      when (select count(*) > 0 from {{self}} where window_days <> {{var "attribution_window_days"}})
        then '-infinity'::TIMESTAMP
      else (
        select min({{> local_time at="started_at"}})::DATE from {{ref "int_conversion_touches"}}
        where changed_at > {{watermark}}
      )
    end as t
),
{{/if}}

conversions as (
  select {{> local_time at="started_at"}}::DATE as date, touches, changed_at
  from {{ref "int_conversion_touches"}}
  {{#if is_incremental}}
  where {{> local_time at="started_at"}} >= (select t from since)
  {{/if}}
),

credited as (
  select date, changed_at, touch.*
  from (select date, changed_at, unnest(touches) as touch from conversions)
),

by_model as (
  unpivot credited on first_touch, last_touch, linear, position_based into name model value credit
)

select
  date,
  model,
  channel,
  source,
  campaign,
  sum(credit)::DOUBLE as conversions,
  {{var "attribution_window_days"}} as window_days,
  max(changed_at) as changed_at
from by_model
group by date, model, channel, source, campaign
order by date, model, channel, source, campaign
