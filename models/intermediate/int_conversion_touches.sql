{{config materialized="incremental" unique_key="conversion_id" watermark="loaded_at" tags="intermediate"}}
-- Each conversion (a converted session) with its touchpoints, in order, and each touchpoint's credit
-- under the four attribution models (the rules are in schema.yml; attribution sums them up).
-- Incremental: a run recomputes, for every visitor with a session loaded since this table's last
-- load, their conversions from the earliest start among those sessions on (a new or late session is
-- a touchpoint only of conversions at or after its start: a returning visitor's new session leaves
-- their earlier conversions alone, so the work grows with what arrived, not with their history);
-- every conversion that listed such a session (its visitor may have changed; a touchpoint is never
-- later than its conversion and a session's start only moves earlier, so only conversions from the
-- earliest such start on are looked at); and all of them when var attribution_window_days differs
-- from the one the stored rows were computed with.

with
{{#if is_incremental}}
changed as (
  select session_id, visitor_id, started_at, loaded_at from {{ref "sessions"}} where loaded_at > {{watermark}}
),

window_changed as (
  select count(*) > 0 as yes from {{self}} where window_days <> {{var "attribution_window_days"}}
),

-- Each visitor to recompute and the start from which their conversions are.
recompute as (
  select visitor_id, min(since) as since
  from (
    select visitor_id, started_at as since from changed
    union all
    select stored.visitor_id, stored.started_at
    from (
      select visitor_id, started_at, unnest(touches).session_id as session_id
      from {{self}}
      -- A conversion that started before every changed session cannot list one.
      where started_at >= (select min(started_at) from changed)
    ) as stored
    where stored.session_id in (select session_id from changed)
    union all
    select visitor_id, '-infinity'::TIMESTAMP
    from {{ref "sessions"}}
    where (select yes from window_changed)
  )
  where visitor_id is not null
  group by visitor_id
),
{{/if}}

sessions as (
  {{#if is_incremental}}
  -- A visitor's sessions from a window before the first conversion to recompute: its touchpoints.
  select sessions.session_id, sessions.visitor_id, sessions.started_at, sessions.converted,
    sessions.channel, sessions.source, sessions.utm_campaign, sessions.loaded_at, recompute.since
  from {{ref "sessions"}} as sessions
  join recompute on recompute.visitor_id = sessions.visitor_id
  where sessions.started_at >= recompute.since
      - to_microseconds(CAST(round({{var "attribution_window_days"}} * 86400e6) AS BIGINT))
  union all
  select session_id, visitor_id, started_at, converted, channel, source, utm_campaign, loaded_at,
    started_at as since
  from {{ref "sessions"}}
  where visitor_id is null
    and (
      session_id in (select session_id from changed)
      or (select yes from window_changed)
    )
  {{else}}
  select session_id, visitor_id, started_at, converted, channel, source, utm_campaign, loaded_at
  from {{ref "sessions"}}
  {{/if}}
),

conversions as (
  select session_id, visitor_id, started_at, channel, source, utm_campaign from sessions
  where converted{{#if is_incremental}} and started_at >= since{{/if}}
),

-- The converting session itself, and the visitor's earlier sessions inside the window.
touchpoints as (
  select session_id as conversion_id, session_id, started_at, channel, source, utm_campaign
  from conversions
  union all
  select
    conversions.session_id,
    earlier.session_id,
    earlier.started_at,
    earlier.channel,
    earlier.source,
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
    *,
    row_number() over (partition by conversion_id order by started_at, session_id) as position,
    count(*) over (partition by conversion_id) as touch_count
  from touchpoints
),

-- The latest load of the visitor's sessions read is the row's watermark: every changed session is
-- among them.
visitor_loads as (
  select coalesce(visitor_id, session_id) as owner, max(loaded_at) as loaded_at
  from sessions
  group by 1
),

computed as (
  select
    positioned.conversion_id,
    any_value(conversions.visitor_id) as visitor_id,
    any_value(conversions.started_at) as started_at,
    list(
      {
        'session_id': positioned.session_id,
        'channel': positioned.channel,
        'source': positioned.source,
        'campaign': coalesce(positioned.utm_campaign, '(none)'),
        'first_touch': case when position = 1 then 1.0 else 0.0 end::DOUBLE,
        'last_touch': case when position = touch_count then 1.0 else 0.0 end::DOUBLE,
        'linear': (1.0 / touch_count)::DOUBLE,
        'position_based': case
          when touch_count = 1 then 1.0
          when touch_count = 2 then 0.5
          when position = 1 or position = touch_count then 0.4
          else 0.2 / (touch_count - 2)
        end::DOUBLE
      }
      order by position
    ) as touches,
    {{var "attribution_window_days"}} as window_days,
    any_value(visitor_loads.loaded_at) as loaded_at
  from positioned
  join conversions on conversions.session_id = positioned.conversion_id
  join visitor_loads on visitor_loads.owner = coalesce(conversions.visitor_id, conversions.session_id)
  group by positioned.conversion_id
)

-- changed_at: when the row last changed. A recomputed conversion whose touchpoints came out the same
-- keeps the stored one, so int_daily_attribution re-adds only the days of conversions that changed
-- (a visitor's new session recomputes all their conversions, most of them as they were).
select
  computed.*,
  {{#if is_incremental}}
  case
    when stored.touches = computed.touches
      and stored.visitor_id is not distinct from computed.visitor_id
      and stored.started_at = computed.started_at
      and stored.window_days = computed.window_days
      then stored.changed_at
    -- Not before this run's loads: a conversion can change through a session that left its visitor,
    -- whose load is not among the visitor's own.
    else greatest(computed.loaded_at, coalesce((select max(changed.loaded_at) from changed), computed.loaded_at))
  end as changed_at
  {{else}}
  loaded_at as changed_at
  {{/if}}
from computed
{{#if is_incremental}}
left join {{self}} as stored using (conversion_id)
{{/if}}
-- Stored in id order: the tracker's ids start with their time, so a run's lookups and merges by id
-- skip the row groups of older sessions.
order by conversion_id
