{{config materialized="table" tags="marts"}}
-- Conversion credit by model × channel × source × campaign: the touchpoint credits of every
-- conversion in int_conversion_touches, summed by day in int_daily_attribution and here over all days.

select model, channel, source, campaign, sum(conversions)::DOUBLE as conversions
from {{ref "int_daily_attribution"}}
group by model, channel, source, campaign
having sum(conversions) > 0
order by model, conversions desc, channel, source, campaign
