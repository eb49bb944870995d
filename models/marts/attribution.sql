{{config materialized="table" tags="marts"}}
-- Conversion credit by model × channel × source × campaign. A conversion is a converted session;
-- its touchpoints are the same visitor's sessions that started within the attribution window before
-- it, up to and including it, ordered by (started_at, session_id).

with sessions as (
  select * from {{ref "sessions"}}
),

conversions as (
  select session_id, visitor_id, started_at from sessions where converted
),

-- The converting session itself, and the visitor's earlier sessions inside the window.
touchpoints as (
  select session_id as conversion_id, session_id, started_at, channel, utm_source, utm_campaign
  from sessions
  where converted
  union all
  select
    conversions.session_id,
    earlier.session_id,
    earlier.started_at,
    earlier.channel,
    earlier.utm_source,
    earlier.utm_campaign
  from conversions
  join sessions as earlier on earlier.visitor_id = conversions.visitor_id
  where earlier.started_at >= conversions.started_at
      - to_microseconds(CAST(round({{var "attribution_window_days"}} * 86400e6) AS BIGINT))
    and (
      earlier.started_at < conversions.started_at
      or (earlier.started_at = conversions.started_at and earlier.session_id < conversions.session_id)
    )
),

positioned as (
  select
    channel,
    coalesce(utm_source, '(direct)') as source,
    coalesce(utm_campaign, '(none)') as campaign,
    row_number() over (partition by conversion_id order by started_at, session_id) as position,
    count(*) over (partition by conversion_id) as touches
  from touchpoints
),

credited as (
  select
    channel,
    source,
    campaign,
    case when position = 1 then 1.0 else 0.0 end::DOUBLE as first_touch,
    case when position = touches then 1.0 else 0.0 end::DOUBLE as last_touch,
    (1.0 / touches)::DOUBLE as linear,
    case
      when touches = 1 then 1.0
      when touches = 2 then 0.5
      when position = 1 or position = touches then 0.4
      else 0.2 / (touches - 2)
    end::DOUBLE as position_based
  from positioned
),

by_model as (
  unpivot credited on first_touch, last_touch, linear, position_based into name model value credit
)

select model, channel, source, campaign, sum(credit)::DOUBLE as conversions
from by_model
group by all
having sum(credit) > 0
order by model, conversions desc, channel, source, campaign
