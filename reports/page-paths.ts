// Where the visitors of the period's most viewed pages came from and went next, from the per-day
// steps of int_daily_paths (the rows the paths mart sums), so the table follows the report period.
import type { Row } from "../runner/warehouse.ts";
import { formatCount, formatShareBrief, num } from "./format.ts";
import { shownOf, type Table, table } from "./page.ts";
import { type Period, periodDatesSql } from "./period.ts";

const topPages = 10;
/** Neighbours named per page and direction; the rest are summed into "others". */
const neighboursShown = 3;

/**
 * One row per shown page × direction ("came_from", "went_next") × neighbour: the page's views
 * (a reload aside), the count of pages viewed in the period as `total`, and the neighbour's share.
 * A session's steps all count on the day it started, so in any set of days each page is entered as
 * often as it is left: one count is the denominator of both directions.
 */
export function pagePathsSql(period: Period): string {
  return `
    WITH steps AS (
      SELECT from_page, to_page, sum(transitions) AS transitions
      FROM int_daily_paths
      WHERE ${periodDatesSql(period)}
      GROUP BY from_page, to_page
    ),
    viewed AS (
      SELECT from_page AS page_path, sum(transitions) AS views, count(*) OVER () AS total
      FROM steps WHERE from_page <> '(entrance)'
      GROUP BY from_page ORDER BY views DESC, page_path LIMIT ${topPages}
    ),
    neighbours AS (
      SELECT to_page AS page_path, 'came_from' AS direction, from_page AS neighbour, transitions FROM steps
      UNION ALL
      SELECT from_page, 'went_next', to_page, transitions FROM steps
    )
    SELECT page_path, views, total, direction, neighbour, transitions / views AS share
    FROM viewed JOIN neighbours USING (page_path)
    QUALIFY row_number() OVER (PARTITION BY page_path, direction ORDER BY transitions DESC, neighbour)
      <= ${neighboursShown}
    ORDER BY views DESC, page_path, direction, transitions DESC, neighbour`;
}

/** The shown neighbours with their shares, and "others" with the share they leave out. */
function neighbourShares(rows: Row[]): [string, number][] {
  const shown: [string, number][] = rows.map((r) => [String(r.neighbour), num(r.share)]);
  const rest = 1 - shown.reduce((sum, [, share]) => sum + share, 0);
  return rest > 1e-9 ? [...shown, ["others", rest]] : shown;
}

/** "/pricing 40 % · (exit) 35 % · others 25 %". */
function neighboursText(shares: [string, number][]): string {
  return shares.map(([neighbour, share]) => `${neighbour} ${formatShareBrief(share)}`).join(" · ");
}

const directions = [
  ["came_from", "came from"],
  ["went_next", "went next"],
] as const;

export function pagePathsTable(rows: Row[]): Table {
  const pages = new Map<string, Row[]>();
  for (const r of rows) pages.set(String(r.page_path), [...(pages.get(String(r.page_path)) ?? []), r]);
  const caption = shownOf(
    [...pages.values()].map((list) => list[0] as Row),
    "Where visitors of each page came from and went next (pages of the period)",
    (n, total) =>
      `Where visitors of the ${n} most viewed of ${total} pages came from and went next (the period)`,
  );
  // Each page's neighbour shares per direction, shown as one text per cell and downloaded a row each.
  const shown = [...pages].map(([page, list]) => ({
    page,
    views: list[0]?.views,
    byDirection: directions.map(([direction, label]) => ({
      label,
      shares: neighbourShares(list.filter((r) => r.direction === direction)),
    })),
  }));
  const made = table(
    caption,
    ["Page", "Views, reloads aside#", "Came from", "Went next"],
    shown.map(({ page, views, byDirection }) => [
      page,
      formatCount(views),
      ...byDirection.map(({ shares }) => neighboursText(shares)),
    ]),
    "No page views in this period.",
  );
  // One row per page, direction and neighbour, its share a fraction as in every other CSV file.
  made.csvRows = {
    columns: ["Page", "Views, reloads aside", "Direction", "Neighbour", "Share"],
    rows: shown.flatMap(({ page, views, byDirection }) =>
      byDirection.flatMap(({ label, shares }) =>
        shares.map(([neighbour, share]) => [page, num(views), label, neighbour, share]),
      ),
    ),
  };
  return made;
}
