// Per-page figures of the period, read once from stg_events and shared by the pages that show
// them (the overview's top pages, the engagement page's time milestones): the build runs a query
// text once however many pages declare it.
import { type Period, periodDatesSql } from "./period.ts";
import { localRangeSql } from "./zone.ts";

export const timeMilestones = [30, 60, 180, 300];

export function periodPagesSql(period: Period): string {
  return `
    WITH per_session AS (
      SELECT page_path, session_id,
             count(*) FILTER (WHERE event_type = 'page_view') AS views,
             max(seconds) FILTER (WHERE event_type = 'time_on_page') AS seconds
      FROM stg_events
      WHERE event_type IN ('page_view', 'time_on_page') AND NOT coalesce(is_bot, false)
        AND ${localRangeSql("event_ts", period.from, period.until, period.zone)}
      GROUP BY page_path, session_id
    )
    SELECT page_path, sum(views) AS views, count(*) FILTER (WHERE views > 0) AS sessions,
           ${timeMilestones.map((s) => `count(*) FILTER (WHERE views > 0 AND seconds >= ${s}) AS engaged_${s}`).join(", ")},
           count(*) OVER () AS total
    FROM per_session GROUP BY page_path HAVING sum(views) > 0
    ORDER BY views DESC, page_path LIMIT 15`;
}

/**
 * The pages mart's figures for the period's days, summed from int_daily_pages as the mart sums all
 * of them (a session's views of a page count on the day of its first view of it, its exit on the
 * day it started), so a period holding all the data shows the mart's rows. `total` counts the pages.
 */
export function periodPageTotalsSql(period: Period, order: "views" | "exits", limit: number): string {
  return `
    SELECT page_path, sum(views) AS views, sum(sessions) AS sessions,
           sum(reached_25) / sum(sessions) AS reach_25, sum(reached_50) / sum(sessions) AS reach_50,
           sum(reached_75) / sum(sessions) AS reach_75, sum(reached_100) / sum(sessions) AS reach_100,
           sum(engaged_s) / sum(sessions) AS avg_engaged_s, sum(exits) AS exits,
           count(*) OVER () AS total
    FROM int_daily_pages
    WHERE ${periodDatesSql(period)}
    GROUP BY page_path
    HAVING sum(sessions) > 0${order === "exits" ? " AND sum(exits) > 0" : ""}
    ORDER BY ${order} DESC, page_path LIMIT ${limit}`;
}
