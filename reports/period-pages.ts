// Per-page figures of the period, summed from int_daily_pages and shared by the pages that show
// them (the overview's top pages, the engagement page's pages, time milestones and exits), so every
// table that names a page gives it the same views and sessions: the build runs a query text once
// however many pages declare it.
import { type Period, periodDatesSql } from "./period.ts";

export const timeMilestones = [30, 60, 180, 300];

/**
 * The pages mart's figures for the period's days, summed from int_daily_pages as the mart sums all
 * of them (a session's views of a page, and its exit from it, count on the day of its first view of
 * it), so a period holding all the data shows the mart's rows, and a page's exits are among its sessions. `engaged_N` counts the
 * sessions that spent at least N seconds on the page; `total` counts the pages.
 */
export function periodPageTotalsSql(period: Period, order: "views" | "exits", limit: number): string {
  return `
    SELECT page_path, sum(views) AS views, sum(sessions) AS sessions,
           sum(reached_25) / sum(sessions) AS reach_25, sum(reached_50) / sum(sessions) AS reach_50,
           sum(reached_75) / sum(sessions) AS reach_75, sum(reached_100) / sum(sessions) AS reach_100,
           sum(engaged_s) / sum(sessions) AS avg_engaged_s, sum(exits) AS exits,
           ${timeMilestones.map((s) => `sum(engaged_${s}s) AS engaged_${s}`).join(", ")},
           count(*) OVER () AS total
    FROM int_daily_pages
    WHERE ${periodDatesSql(period)}
    GROUP BY page_path
    HAVING sum(sessions) > 0${order === "exits" ? " AND sum(exits) > 0" : ""}
    ORDER BY ${order} DESC, page_path LIMIT ${limit}`;
}
