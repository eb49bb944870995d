-- Each attribution model hands out exactly one unit of credit per converted session.
with expected as (
  select count(*) as conversions from {{ref "sessions"}} where converted
),

models(model) as (
  values ('first_touch'), ('last_touch'), ('linear'), ('position_based')
),

credited as (
  select model, sum(conversions) as credit from {{ref "attribution"}} group by model
)

select models.model, expected.conversions, coalesce(credited.credit, 0) as credit
from models
cross join expected
left join credited on credited.model = models.model
where abs(coalesce(credited.credit, 0) - expected.conversions) > 1e-6
