{{config materialized="table" tags="marts"}}
-- Conversion credit by model × channel × source × campaign: the touchpoint credits of every
-- conversion in int_conversion_touches, summed.

with credited as (
  select touch.* from (select unnest(touches) as touch from {{ref "int_conversion_touches"}})
),

by_model as (
  unpivot credited on first_touch, last_touch, linear, position_based into name model value credit
)

select model, channel, source, campaign, sum(credit)::DOUBLE as conversions
from by_model
group by model, channel, source, campaign
having sum(credit) > 0
order by model, conversions desc, channel, source, campaign
