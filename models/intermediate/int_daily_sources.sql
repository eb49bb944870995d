{{config materialized="incremental" incremental_strategy="time_range" time_column="date" watermark="loaded_at" tags="intermediate"}}
-- Sessions, converted sessions, bounces and engaged seconds per local date (var timezone) of the
-- session's start × traffic source × referring site, so that sources and referrers add up days rather
-- than every session.
-- Incremental: a session's start only moves earlier as its events arrive, so the dates from the
-- earliest start among sessions loaded since this table's last load are recomputed and replace the
-- stored ones (time_range).

select
  {{> local_time at="started_at"}}::DATE as date,
  source,
  referring_site as referrer,
  count(*)::BIGINT as sessions,
  (count(*) filter (where converted))::BIGINT as conversions,
  (count(*) filter (where is_bounce))::BIGINT as bounces,
  sum(engaged_s)::BIGINT as engaged_s,
  max(loaded_at) as loaded_at
from {{ref "sessions"}}
{{#if is_incremental}}
where {{> local_time at="started_at"}}::DATE >= (
  select min({{> local_time at="started_at"}})::DATE from {{ref "sessions"}} where loaded_at > {{watermark}}
)
{{/if}}
group by 1, 2, 3
order by 1, 2, 3
