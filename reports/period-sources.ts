// Where the period's sessions came from, read by the overview's top lists and the sources page
// alike, so both show the same figures for a source or a site.
import { type Period, periodDatesSql } from "./period.ts";
import { localRangeSql } from "./zone.ts";

/**
 * The sources mart's sums over the period's days of int_daily_sources, most sessions first (not by
 * rate: one session with one conversion, 100 %, would top 2,000 converting at 4 %); `total` counts
 * the sources, for a list cut at `limit`.
 */
export function periodSourcesSql(period: Period, limit?: number): string {
  return `
      SELECT source, sum(sessions) AS sessions, sum(conversions) AS conversions, count(*) OVER () AS total
      FROM int_daily_sources WHERE ${periodDatesSql(period)}
      GROUP BY source HAVING sum(sessions) > 0
      ORDER BY sessions DESC, conversions DESC, source${limit === undefined ? "" : ` LIMIT ${limit}`}`;
}

/**
 * The referrers mart's figures for the sessions that started in the period, one row per referring
 * site (a relation for topReferrersSql): distinct visitors do not add up across days, so they are
 * counted from the sessions themselves.
 */
export function periodReferringSitesSql(period: Period): string {
  return `(SELECT referring_site AS referrer, count(DISTINCT coalesce(visitor_id, session_id)) AS visitors,
               count(*) AS sessions, count(*) FILTER (WHERE converted) AS conversions,
               avg(CASE WHEN is_bounce THEN 1.0 ELSE 0.0 END) AS bounce_rate, avg(engaged_s) AS avg_engaged_s
        FROM sessions
        WHERE ${localRangeSql("started_at", period.from, period.until, period.zone)}
        GROUP BY referring_site)`;
}

/**
 * The period's tagged sessions (a utm_campaign on their landing page) by campaign, source and
 * medium, most sessions first: which campaigns brought readers, and which of them converted. The
 * source is the link's utm_source as tagged, "(none)" without one: a tagged link is never "(direct)".
 */
export function periodCampaignsSql(period: Period, limit = 25): string {
  return `
      SELECT utm_campaign AS campaign, coalesce(utm_source, '(none)') AS source, coalesce(utm_medium, '(none)') AS medium,
             count(*) AS sessions, count(*) FILTER (WHERE converted) AS conversions, count(*) OVER () AS total
      FROM sessions
      WHERE utm_campaign IS NOT NULL AND ${localRangeSql("started_at", period.from, period.until, period.zone)}
      GROUP BY ALL ORDER BY sessions DESC, conversions DESC, campaign, source, medium LIMIT ${limit}`;
}

/**
 * The period's sessions and conversions by channel (of their landing page), most sessions first:
 * where "(direct)" among the sources holds untagged search and referral visits, the channels tell
 * them apart.
 */
export function periodChannelsSql(period: Period): string {
  return `
      SELECT coalesce(channel, 'direct') AS channel, count(*) AS sessions, count(*) FILTER (WHERE converted) AS conversions
      FROM sessions
      WHERE ${localRangeSql("started_at", period.from, period.until, period.zone)}
      GROUP BY ALL ORDER BY sessions DESC, conversions DESC, channel`;
}
