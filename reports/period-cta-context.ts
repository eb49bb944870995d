// Where the period's most clicked CTAs are clicked (the click's page) and who clicks them (the
// channel and source of the clicking sessions), read from int_goal_events, stg_events and sessions
// for the period as the goals page's other queries are.

import type { Period } from "./period.ts";
import { periodEvents, periodGoalEvents } from "./period-goals.ts";
import { localRangeSql } from "./zone.ts";

/** CTAs given their context, and rows (pages, sources) shown per CTA. */
export const ctasInContext = 5;
export const contextShown = 5;

/** The period's clicks of its most clicked CTAs, ranked as the goals table ranks them. */
function topClicksSql(period: Period): string {
  return `
      clicks AS (
        SELECT name AS cta, page_path, session_id FROM ${periodGoalEvents(period, "'cta_click'")}
      ),
      top_ctas AS (
        SELECT cta, count(*) AS cta_clicks FROM clicks
        GROUP BY cta ORDER BY cta_clicks DESC, cta LIMIT ${ctasInContext}
      ),
      top_clicks AS (SELECT * FROM clicks JOIN top_ctas USING (cta))`;
}

/** The first rows of each CTA by `rank`, the CTAs in the goals table's order; `total` counts a CTA's rows. */
function perCta(from: string, rank: string): string {
  return `count(*) OVER (PARTITION BY cta) AS total
      FROM ${from}
      QUALIFY row_number() OVER (PARTITION BY cta ORDER BY ${rank}) <= ${contextShown}
      ORDER BY cta_clicks DESC, cta, ${rank}`;
}

export function ctaContextQueries(period: Period): Record<string, string> {
  return {
    // A click counts toward the click rate only when its session viewed that page in the period too,
    // so that the rate is a share of the page's sessions and never above 1.
    cta_pages: `
      WITH ${topClicksSql(period)},
      viewers AS (
        SELECT DISTINCT page_path, session_id FROM stg_events
        WHERE event_type = 'page_view' AND ${periodEvents(period)} AND page_path IN (SELECT page_path FROM top_clicks)
      ),
      page_sessions AS (SELECT page_path, count(*) AS page_sessions FROM viewers GROUP BY page_path),
      per_page AS (
        SELECT c.cta, c.page_path, any_value(c.cta_clicks) AS cta_clicks, count(*) AS clicks,
               count(DISTINCT v.session_id) AS clicking_viewers
        FROM top_clicks c LEFT JOIN viewers v USING (page_path, session_id)
        GROUP BY c.cta, c.page_path
      )
      SELECT per_page.*, coalesce(page_sessions, 0) AS page_sessions,
             ${perCta("per_page LEFT JOIN page_sessions USING (page_path)", "clicks DESC, page_path")}`,
    // Sessions that started in the period, as the period's sessions the share is of; their channel
    // and source are the sessions mart's columns, which the sources page and attribution read too.
    cta_sources: `
      WITH ${topClicksSql(period)},
      period_sessions AS (
        SELECT session_id, channel, source
        FROM sessions
        WHERE ${localRangeSql("started_at", period.from, period.until, period.zone)}
      ),
      by_source AS (
        SELECT channel, source, count(*) AS source_sessions FROM period_sessions GROUP BY channel, source
      ),
      clicking AS (
        SELECT c.cta, any_value(c.cta_clicks) AS cta_clicks, s.channel, s.source,
               count(DISTINCT c.session_id) AS sessions
        FROM top_clicks c JOIN period_sessions s USING (session_id)
        GROUP BY c.cta, s.channel, s.source
      )
      SELECT clicking.*, source_sessions,
             ${perCta("clicking JOIN by_source USING (channel, source)", "sessions DESC, channel, source")}`,
  };
}
