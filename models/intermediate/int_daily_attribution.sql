{{config materialized="incremental" incremental_strategy="time_range" time_column="date" watermark="loaded_at" tags="intermediate"}}
-- Conversion credit per UTC date of the converting session's start × model × channel × source ×
-- campaign, so that attribution adds up days rather than every conversion's touchpoints.
-- Incremental: a conversion's start only moves earlier as events arrive and conversions never go, so
-- the dates from the earliest start among conversions loaded since this table's last load are
-- recomputed and replace the stored ones (time_range); all of them when var attribution_window_days
-- differs from the one the stored rows were summed with (int_conversion_touches then recomputed
-- every conversion without loading anything new).

with
{{#if is_incremental}}
since as (
  select
    case
      when (select count(*) > 0 from {{self}} where window_days <> {{var "attribution_window_days"}})
        then '-infinity'::TIMESTAMP
      else (
        select min(started_at)::DATE from {{ref "int_conversion_touches"}} where loaded_at > {{watermark}}
      )
    end as t
),
{{/if}}

conversions as (
  select started_at::DATE as date, touches, loaded_at
  from {{ref "int_conversion_touches"}}
  {{#if is_incremental}}
  where started_at >= (select t from since)
  {{/if}}
),

credited as (
  select date, loaded_at, touch.*
  from (select date, loaded_at, unnest(touches) as touch from conversions)
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
  max(loaded_at) as loaded_at
from by_model
group by date, model, channel, source, campaign
order by date, model, channel, source, campaign
