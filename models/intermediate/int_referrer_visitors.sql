{{config materialized="incremental" unique_key="visitor_key" watermark="loaded_at" tags="intermediate"}}
-- Each visitor (coalesce(visitor_id, session_id), as referrers counts them) with the referring sites
-- of their sessions' touch (as referrers names them): referrers counts its distinct visitors here,
-- as distinct visitors do not add up across days.
-- Incremental: sessions take their visitor from their first event and their site from their touch
-- (sessions' rules), so a session loaded since this table's last load keeps both unless one of its
-- new events sorts before its old first event or touch (an earlier event delivered late). The
-- visitors of the others only gain the sessions' sites: their stored rows are extended. A session
-- that moved can have left a visitor or a site: every visitor it has or had (the visitor ids of its
-- events, or the session itself) is recomputed from all their sessions; one left without any
-- session keeps a row with no sites, as its stored sites must go.
-- Sites are kept sorted, so that a row reads the same however its sessions arrived.

{{#if is_incremental}}
with touched as (
  select session_id, coalesce(visitor_id, session_id) as visitor_key, referring_site as referrer, loaded_at
  from {{ref "sessions"}}
  where loaded_at > {{watermark}}
),

-- The first event and the touch among each touched session's events stored before and since then,
-- ordered as sessions orders them, and every visitor id it has had.
event_bounds as (
  select
    session_id,
    min((events.event_ts, events.event_id)) filter (where events.loaded_at <= {{watermark}}) as old_first,
    min((events.event_ts, events.event_id)) filter (where events.loaded_at > {{watermark}}) as new_first,
    min((events.event_type <> 'page_view', events.event_ts, events.event_id))
      filter (where events.loaded_at <= {{watermark}}) as old_touch,
    min((events.event_type <> 'page_view', events.event_ts, events.event_id))
      filter (where events.loaded_at > {{watermark}}) as new_touch,
    list(distinct events.visitor_id) filter (where events.visitor_id is not null) as visitor_ids,
    any_value(touched.loaded_at) as loaded_at
  from {{ref "stg_events"}} as events
  join touched using (session_id)
  where not events.is_bot and events.event_ts is not null
  group by session_id
),

recompute as (
  select visitor_key, max(loaded_at) as loaded_at
  from (
    select unnest(list_append(coalesce(visitor_ids, []), session_id)) as visitor_key, loaded_at
    from event_bounds
    where new_first < old_first or new_touch < old_touch
  )
  group by visitor_key
),

recomputed as (
  select coalesce(visitor_id, session_id) as visitor_key, list_sort(list_distinct(list(referring_site))) as referrers
  from {{ref "sessions"}}
  where coalesce(visitor_id, session_id) in (select visitor_key from recompute)
  group by 1
),

extended as (
  select visitor_key, list_distinct(list(referrer)) as referrers, max(loaded_at) as loaded_at
  from touched
  where not exists (select 1 from recompute where recompute.visitor_key = touched.visitor_key)
  group by visitor_key
)

select
  extended.visitor_key,
  list_sort(list_distinct(coalesce(stored.referrers, []) || extended.referrers)) as referrers,
  extended.loaded_at
from extended
left join {{self}} as stored using (visitor_key)
union all
select recompute.visitor_key, coalesce(recomputed.referrers, []::VARCHAR[]), recompute.loaded_at
from recompute
left join recomputed using (visitor_key)
{{else}}
select
  coalesce(visitor_id, session_id) as visitor_key,
  list_sort(list_distinct(list(referring_site))) as referrers,
  max(loaded_at) as loaded_at
from {{ref "sessions"}}
group by 1
{{/if}}
