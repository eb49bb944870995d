{{config materialized="incremental" unique_key="session_id" watermark="loaded_at" tags="marts"}}
-- One row per session_id, from its non-bot events. "First" and "last" are by (event_ts, event_id).
-- Incremental: a run recomputes, from all their events, only the sessions that have events stored
-- in stg_events since this table's last load (loaded_at).

-- Not materialized: DuckDB would otherwise hold every column of every event for the two steps that
-- read it; each reads the columns it needs instead (a tenth less time on 1 M events).
with events as not materialized (
  select *
  from {{ref "stg_events"}}
  where {{> session_events}}
),

-- One pass per session; arg_min_null/arg_max_null keep NULLs of the chosen event (a first event
-- without a visitor_id gives a session without one).
per_session as (
  select
    session_id,
    min(event_ts) as started_at,
    max(event_ts) as ended_at,
    arg_min_null(
      {
        'visitor_id': visitor_id,
        'device_type': device_type,
        'browser': browser,
        'os': os,
        'country': country,
        'site': site
      },
      (event_ts, event_id)
    ) as first_event,
    -- The session's touch: its landing (first) page view, or its first event when it has no page view.
    arg_min_null(
      {
        'is_page_view': event_type = 'page_view',
        'page_path': page_path,
        'utm_source': utm_source,
        'utm_medium': utm_medium,
        'utm_campaign': utm_campaign,
        'channel': channel,
        'referrer_host': referrer_host
      },
      (event_type <> 'page_view', event_ts, event_id)
    ) as touch,
    arg_max_null(page_path, (event_ts, event_id)) filter (where event_type = 'page_view') as exit_page,
    count(*) filter (where event_type = 'page_view') as page_views,
    count(*) as events,
    coalesce(max(scroll_pct) filter (where event_type = 'scroll_depth'), 0) as max_scroll_pct,
    min(event_ts) filter (where list_contains({{var "conversion_events"}}, event_type)) as converted_at,
    -- Something the visitor did on the page, as Plausible counts interactive events: a visitor who
    -- lands on the contact page and sends its form has not bounced, whatever conversion_events says.
    bool_or(event_type in ('cta_click', 'form_start', 'form_submit', 'custom')) as interacted,
    max(loaded_at) as loaded_at
  from events
  group by session_id
),

-- The tracker's visible-time clock restarts with each page view, so a session's engaged time adds up
-- its pages: the largest time_on_page milestone on each path it was on, summed. A client may send up
-- to a week per event, so the sum is held at the largest INTEGER rather than failing the build.
engagement as (
  select session_id, least(sum(seconds), 2147483647)::INTEGER as engaged_s
  from (
    select session_id, max(seconds) as seconds
    from events
    where event_type = 'time_on_page'
    group by session_id, page_path
  )
  group by session_id
),

shaped as (
select
  session_id,
  first_event.visitor_id,
  started_at,
  ended_at,
  ((epoch_us(ended_at) - epoch_us(started_at)) // 1000000)::INTEGER as duration_s,
  case when touch.is_page_view then touch.page_path end as landing_page,
  exit_page,
  touch.utm_source,
  touch.utm_medium,
  touch.utm_campaign,
  touch.channel,
  -- The traffic source every report names: sources, attribution and the goals page read this column
  -- rather than deriving it again, so they cannot disagree.
  coalesce(touch.utm_source, '(direct)') as source,
  touch.referrer_host,
  page_views::INTEGER as page_views,
  events::INTEGER as events,
  max_scroll_pct,
  coalesce(engagement.engaged_s, 0) as engaged_s,
  converted_at is not null as converted,
  converted_at,
  page_views <= 1 and converted_at is null and not interacted and coalesce(engagement.engaged_s, 0) < 30
    and max_scroll_pct < 50 as is_bounce,
  first_event.device_type,
  first_event.browser,
  first_event.os,
  first_event.country,
  first_event.site,
  loaded_at
from per_session
left join engagement using (session_id)
)

-- The site the session came from, as every report names it: int_daily_sources, int_referrer_visitors
-- and the sources page read this column rather than deriving it again.
select * exclude (loaded_at), {{> referring_site}} as referring_site, loaded_at
from shaped
order by started_at, session_id
