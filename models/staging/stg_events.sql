{{config materialized="incremental" incremental_strategy="append" unique_key="event_id" watermark="ingest_ts" tags="staging"}}
-- One row per event_id: typed, UTC, UTM cleaned, referrer host and channel derived.
-- Incremental: a run reads only the raw partitions from the stored watermark (minus the source's
-- lookback) and appends only event_ids not stored yet, so a late duplicate never replaces the stored one.

with raw as (
  select * from {{source "events"}}
),

-- ISO-8601 with any offset to a UTC TIMESTAMP. Casting a TIMESTAMPTZ to TIMESTAMP would shift it
-- into the session's time zone and a plain TIMESTAMP cast drops offsets, so an offset goes through
-- epoch microseconds; the collector's own form (ending in Z) is read directly, and a value without an
-- offset is read as UTC. Minute-only times ("10:00Z") get their seconds added first.
parsed as (
  select
    *,
    case
      when event_ts like '____-__-__T__:__:__%Z' then event_ts
      else regexp_replace(upper(trim(event_ts)), '^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d)($|[Z+-])', '\1:00\2')
    end as event_ts_iso,
    case
      when ingest_ts like '____-__-__T__:__:__%Z' then ingest_ts
      else regexp_replace(upper(trim(ingest_ts)), '^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d)($|[Z+-])', '\1:00\2')
    end as ingest_ts_iso
  from raw
  where event_id is not null
),

typed as materialized (
  select
    -- As a UUID (16 bytes, ordered as its lower-case text): the duplicate check against every stored
    -- event_id compares these rather than 36-character strings, about 4× faster. A row whose
    -- event_id is not a UUID is left out below.
    try_cast(event_id as UUID) as event_id,
    event_type,
    session_id,
    nullif(trim(visitor_id), '') as visitor_id,
    case
      when event_ts_iso like '%Z' then try_cast(event_ts_iso as TIMESTAMP)
      when event_ts_iso ~ '.*[T ]\d\d:\d\d:\d\d(\.\d+)?\s*[+-]\d\d(:?\d\d)?$'
        then make_timestamp(epoch_us(try_cast(event_ts_iso as TIMESTAMPTZ)))
      else try_cast(event_ts_iso as TIMESTAMP)
    end as event_ts,
    case
      when ingest_ts_iso like '%Z' then try_cast(ingest_ts_iso as TIMESTAMP)
      when ingest_ts_iso ~ '.*[T ]\d\d:\d\d:\d\d(\.\d+)?\s*[+-]\d\d(:?\d\d)?$'
        then make_timestamp(epoch_us(try_cast(ingest_ts_iso as TIMESTAMPTZ)))
      else try_cast(ingest_ts_iso as TIMESTAMP)
    end as ingest_ts,
    nullif(lower(trim(site)), '') as site,
    page_path,
    page_title,
    referrer,
    nullif(lower(regexp_extract(referrer, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/@]*@)?(\[[^\]/]*\]|[^/:?#]+)', 1)), '')
      as referrer_host,
    nullif(lower(regexp_replace(utm_source, {{> edge_whitespace}}, '', 'g')), '') as utm_source,
    nullif(lower(regexp_replace(utm_medium, {{> edge_whitespace}}, '', 'g')), '') as utm_medium,
    nullif(lower(regexp_replace(utm_campaign, {{> edge_whitespace}}, '', 'g')), '') as utm_campaign,
    nullif(lower(regexp_replace(utm_term, {{> edge_whitespace}}, '', 'g')), '') as utm_term,
    nullif(lower(regexp_replace(utm_content, {{> edge_whitespace}}, '', 'g')), '') as utm_content,
    screen_width,
    screen_height,
    viewport_width,
    language,
    timezone,
    country,
    browser,
    browser_version,
    os,
    device_type,
    coalesce(is_bot, false) as is_bot,
    scroll_pct,
    seconds,
    element,
    experiment,
    variant,
    name,
    props,
    schema_version,
    -- When this row was stored (the run's start, UTC): downstream incremental models pick up the
    -- sessions touched since their own last load.
    make_timestamp(epoch_us(current_timestamp)) as loaded_at
  from parsed
),

-- The earliest arrival of each event_id wins inside this batch. Duplicates are rare, so only their
-- rows go through the window (ordering every row of a large batch would cost more than the read).
-- Ids that are no UUID (NULL here) stay out of it: one NULL in a NOT IN list keeps no row at all.
duplicated as (
  select event_id from typed where event_id is not null group by event_id having count(*) > 1
),

deduplicated as (
  select * from typed where event_id is not null and event_id not in (select event_id from duplicated)
  union all
  (
    select *
    from typed
    where event_id in (select event_id from duplicated)
    qualify row_number() over (
      partition by event_id order by ingest_ts nulls last, event_ts nulls last, session_id
    ) = 1
  )
),

-- Host rules: a listed domain matches itself and its subdomains (t.co, not microsoft.com); a bare
-- name or label sequence (google, search.brave) matches any host that has it as whole labels
-- (www.google.co.uk). A referrer from the event's own site (with or without www.) is internal;
-- the site is the Origin's host, which keeps a non-default port, and referrer_host never has one.
classified as (
  select
    *,
    coalesce(
      regexp_matches(referrer_host, '(^|\.)(linkedin|twitter|facebook|instagram|reddit|youtube|mastodon|bsky)(\.|$)')
        or regexp_matches(referrer_host, '(^|\.)(lnkd\.in|x\.com|t\.co|news\.ycombinator\.com)$'),
      false
    ) as from_social_host,
    -- Webmail: a link followed from a mail is email, though mail.google.com, the Gmail app
    -- (com.google.android.gm) and mail.yahoo.com carry a search engine's label.
    coalesce(
      regexp_matches(referrer_host, '(^|\.)(mail\.google|mail\.yahoo|mail\.yandex|mail\.proton)(\.|$)')
        or regexp_matches(
          referrer_host, '(^|\.)(com\.google\.android\.gm|outlook\.live\.com|outlook\.office\.com|outlook\.office365\.com|mail\.aol\.com)$'
        ),
      false
    ) as from_mail_host,
    coalesce(
      regexp_matches(referrer_host, '(^|\.)(google|bing|duckduckgo|yahoo|ecosia|baidu|yandex|search\.brave)(\.|$)'),
      false
    ) as from_search_host,
    referrer_host is not null
      and referrer_host not in (site_host, 'www.' || site_host)
      and site_host <> 'www.' || referrer_host as from_other_host
  from (select *, regexp_replace(coalesce(site, ''), ':[0-9]+$', '') as site_host from deduplicated)
)

select
  * exclude (from_mail_host, from_social_host, from_search_host, from_other_host, site_host),
  case
    when utm_medium in ('cpc', 'ppc', 'paid', 'paidsocial', 'paid_social', 'display', 'cpm') then 'paid'
    -- A link's own utm_source or utm_medium says more than the mail it was read in.
    when utm_medium = 'email' or utm_source in ('newsletter', 'email')
      or (from_mail_host and utm_source is null and utm_medium is null) then 'email'
    when utm_medium = 'social'
      or utm_source in (
        'linkedin', 'twitter', 'x', 'facebook', 'instagram', 'reddit', 'youtube', 'mastodon', 'bluesky',
        'hackernews', 'lnkd.in', 'x.com', 't.co', 'bsky', 'news.ycombinator.com'
      )
      or from_social_host
      then 'social'
    when utm_medium = 'organic' or (from_search_host and not from_mail_host) then 'search'
    when utm_source is not null or from_other_host then 'referral'
    else 'direct'
  end as channel
from classified
{{#if is_incremental}}
-- Rows stored already are left out: the lookback partitions are read again, and a late duplicate may
-- arrive. The stored ones are found by probing the table with this batch's ids, which lets DuckDB skip
-- the row groups outside the batch's id range (the tracker's ids start with their time); an anti-join
-- against the table would hash every stored id instead.
where event_id not in (
  select event_id from {{self}} where event_id in (select event_id from classified)
)
{{/if}}
