// Per-page figures of the period, read once from stg_events and shared by the pages that show
// them (the overview's top pages, the engagement page's time milestones): the build runs a query
// text once however many pages declare it.
import type { Period } from "./period.ts";
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
