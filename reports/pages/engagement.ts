// Pages and engagement: scroll reach per page, time milestones, paths between pages, landing pages
// and exits.
import { barChart } from "../charts.ts";
import { figure, formatCount, formatCountOf, formatSeconds, formatShare, num } from "../format.ts";
import { engagedTimeColumn, type Page, shownOf, table } from "../page.ts";
import { pagePathsSql, pagePathsTable } from "../page-paths.ts";
import { periodPageTotalsSql, timeMilestones } from "../period-pages.ts";
import { localRangeSql } from "../zone.ts";

const milestones = timeMilestones;
const depths = [25, 50, 75, 100];

export const engagement: Page = {
  slug: "pages",
  title: "Pages and engagement",
  nav: "Pages",
  queries: ({ period }) => ({
    pages: periodPageTotalsSql(period, "views", 25),
    milestones: `
      SELECT count(*) AS sessions,
             ${milestones.map((s) => `count(*) FILTER (WHERE engaged_s >= ${s}) AS engaged_${s}`).join(", ")}
      FROM sessions
      WHERE ${localRangeSql("started_at", period.from, period.until, period.zone)}`,
    paths: pagePathsSql(period),
    // The sessions that started in the period by the page they landed on, as sessions has it: how
    // many bounced from it and how many converted, the landing page report of a campaign's readers.
    landings: `
      SELECT landing_page AS page_path, count(*) AS sessions,
             avg(CASE WHEN is_bounce THEN 1.0 ELSE 0.0 END) AS bounce_rate,
             count(*) FILTER (WHERE converted) AS conversions, count(*) OVER () AS total
      FROM sessions
      WHERE landing_page IS NOT NULL AND ${localRangeSql("started_at", period.from, period.until, period.zone)}
      GROUP BY landing_page ORDER BY sessions DESC, page_path LIMIT 10`,
    exits: periodPageTotalsSql(period, "exits", 10),
  }),
  view(rows) {
    const pageRows = rows.pages ?? [];
    const top = pageRows.slice(0, 8);
    // The time milestones of the most viewed pages, the same rows as the pages table.
    const milestonePages = pageRows.slice(0, 15);
    const m = rows.milestones?.[0] ?? {};
    const sessions = num(m.sessions ?? 0);
    const exits = rows.exits ?? [];
    const landings = rows.landings ?? [];
    return {
      reachChart: top.length
        ? barChart(
            "Share of sessions scrolling to each depth, top pages of the period",
            top.map((r) => String(r.page_path)),
            depths.map((d) => ({
              name: `${d} %`,
              values: top.map((r) => Math.round(num(r[`reach_${d}`] ?? 0) * 1000) / 10),
            })),
            {
              horizontal: true,
              percent: true,
              max: 100,
              height: 100 + top.length * 60,
              valueName: "share of the page's sessions",
            },
          )
        : { title: "Share of sessions scrolling to each depth, top pages of the period", svg: "" },
      milestonesChart: sessions
        ? barChart(
            "Share of sessions engaged for at least 30 s, 1 min, 3 min and 5 min",
            milestones.map((s) => formatSeconds(s)),
            [
              {
                name: "sessions",
                values: milestones.map(
                  (s) => Math.round((num(m[`engaged_${s}`] ?? 0) / sessions) * 1000) / 10,
                ),
              },
            ],
            { percent: true, max: 100, valueName: "share of sessions" },
          )
        : { title: "Share of sessions engaged for at least 30 s, 1 min, 3 min and 5 min", svg: "" },
      milestonesTable: table(
        // The share's denominator, so that a reader can check it against the overview's sessions.
        sessions
          ? `Time milestones: shares of the period's ${formatCountOf(sessions, "session")}`
          : "Time milestones (sessions of the period)",
        // "1 min" on the page, 60 in the CSV file, as other times there.
        [{ label: "Engaged for at least", csv: "Engaged for at least (s)" }, "Sessions#", "Share#"],
        sessions
          ? milestones.map((s) => [
              figure(formatSeconds, s),
              formatCount(m[`engaged_${s}`] ?? 0),
              figure(formatShare, num(m[`engaged_${s}`] ?? 0) / sessions),
            ])
          : [],
        "No data in this period.",
      ),
      pageMilestonesTable: table(
        shownOf(
          milestonePages,
          "Share of a page's sessions still on it after 30 s, 1 min, 3 min and 5 min (pages of the period)",
          (n, total) =>
            `Share of a page's sessions still on it after 30 s, 1 min, 3 min and 5 min (the ${n} most viewed of ${total} pages of the period)`,
        ),
        // Page views shown too: the pages are the period's most viewed, in that order.
        ["Page", "Page views#", "Sessions#", ...milestones.map((s) => `${formatSeconds(s)}#`)],
        milestonePages.map((r) => [
          String(r.page_path),
          formatCount(r.views),
          formatCount(r.sessions),
          ...milestones.map((s) => figure(formatShare, num(r[`engaged_${s}`]) / num(r.sessions))),
        ]),
        "No data in this period.",
      ),
      pagesTable: table(
        shownOf(
          pageRows,
          "Pages by views in the period",
          (n, total) => `The ${n} most viewed of ${total} pages of the period`,
        ),
        [
          "Page",
          "Views#",
          "Sessions#",
          "Reach 25 %#",
          "Reach 50 %#",
          "Reach 75 %#",
          "Reach 100 %#",
          engagedTimeColumn,
          "Exits#",
        ],
        pageRows.map((r) => [
          String(r.page_path),
          formatCount(r.views ?? null),
          formatCount(r.sessions ?? null),
          ...depths.map((d) => figure(formatShare, r[`reach_${d}`] ?? null)),
          figure(formatSeconds, r.avg_engaged_s ?? null),
          formatCount(r.exits ?? null),
        ]),
        "No data in this period.",
      ),
      pathsTable: pagePathsTable(rows.paths ?? []),
      landingsTable: table(
        shownOf(
          landings,
          "Where the period's sessions start",
          (n, total) =>
            `Where the period's sessions start: the ${n} pages that started the most, of ${total}`,
        ),
        ["Page", "Sessions#", "Bounce rate#", "Conversion rate#"],
        landings.map((r) => [
          String(r.page_path),
          formatCount(r.sessions),
          figure(formatShare, r.bounce_rate ?? null),
          figure(formatShare, num(r.conversions) / num(r.sessions)),
        ]),
        "No data in this period.",
      ),
      exitsTable: table(
        shownOf(
          exits,
          "Where the period's sessions end",
          (n, total) => `Where the period's sessions end: the ${n} pages with the most exits, of ${total}`,
        ),
        // Not exits over page views, as some tools define an exit rate: a reload would lower it.
        ["Page", "Exits#", "Share of its sessions#"],
        exits.map((r) => [
          String(r.page_path),
          formatCount(r.exits),
          figure(formatShare, num(r.exits) / num(r.sessions)),
        ]),
        "No data in this period.",
      ),
    };
  },
};
