// Cohorts: visitors grouped by the ISO week of their first session, and the share active in
// each later week.
import { heatmapChart } from "../charts.ts";
import { formatCount, formatShare, isoDate, num } from "../format.ts";
import { type Page, table } from "../page.ts";

/** Recent cohorts only: older rows would make the heatmap unreadable on a phone. */
const shownCohorts = 12;

export const cohorts: Page = {
  slug: "cohorts",
  title: "Cohorts",
  nav: "Cohorts",
  queries: () => ({
    cohorts: `
      SELECT CAST(cohort_week AS DATE) AS cohort_week, weeks_since, visitors, cohort_size, retention
      FROM cohorts
      WHERE cohort_week >= (SELECT max(cohort_week) FROM cohorts) - INTERVAL ${7 * (shownCohorts - 1)} DAY
      ORDER BY cohort_week, weeks_since`,
  }),
  view(rows) {
    const data = rows.cohorts ?? [];
    const weeks = [...new Set(data.map((r) => isoDate(r.cohort_week ?? null)))];
    const maxSince = Math.max(0, ...data.map((r) => num(r.weeks_since)));
    const columns = Array.from({ length: maxSince + 1 }, (_, i) => String(i));
    const cells = data.map(
      (r) =>
        [num(r.weeks_since), weeks.indexOf(isoDate(r.cohort_week ?? null)), num(r.retention)] as [
          number,
          number,
          number,
        ],
    );
    const size = new Map(data.map((r) => [isoDate(r.cohort_week ?? null), r.cohort_size ?? null]));
    const retention = new Map(
      data.map((r) => [`${isoDate(r.cohort_week ?? null)}|${r.weeks_since}`, r.retention ?? null]),
    );
    return {
      heatmap: data.length
        ? heatmapChart(
            "Retention by cohort week (% of the cohort active N weeks later)",
            weeks,
            columns,
            cells,
          )
        : { title: "Retention by cohort week", svg: "" },
      cohortTable: table(
        "Retention by cohort week (all data, the last 12 cohorts)",
        ["Cohort week", "Visitors#", ...columns.slice(1).map((c) => `Week ${c}#`)],
        weeks.map((w) => [
          w,
          formatCount(size.get(w) ?? null),
          ...columns.slice(1).map((c) => {
            const share = retention.get(`${w}|${c}`);
            return share === undefined ? "" : formatShare(share, 0);
          }),
        ]),
      ),
    };
  },
};
