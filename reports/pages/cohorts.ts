// Cohorts: visitors grouped by the ISO week of their first session, and the share active in
// each later week.
import { heatmapChart } from "../charts.ts";
import { figure, formatCount, formatShareBrief, isoDate, num } from "../format.ts";
import { type Page, type Table, table } from "../page.ts";
import { day } from "../period.ts";
import { wallClock } from "../zone.ts";

/** Recent cohorts only: older rows would make the heatmap unreadable on a phone. */
const shownCohorts = 12;

const weekMs = 7 * 86_400_000;

/** The Monday of the week holding an ISO date or wall-clock timestamp, in ms. */
function mondayOf(value: string): number {
  const day = Date.parse(`${value.slice(0, 10)}T00:00:00Z`);
  return day - ((new Date(day).getUTCDay() + 6) % 7) * 86_400_000;
}

export const cohorts: Page = {
  slug: "cohorts",
  title: "Cohorts",
  nav: "Cohorts",
  queries: ({ period, latest }) => ({
    // Weeks up to the latest data's: an event stamped ahead by a visitor's clock (the collector takes
    // event_ts up to a day ahead) can give a cohort, or a week of one, that has not begun yet.
    cohorts: `
      WITH happened AS (
        SELECT * FROM cohorts
        ${latest ? `WHERE CAST(cohort_week AS DATE) + CAST(7 * weeks_since AS INTEGER) <= DATE '${day(mondayOf(wallClock(period.zone, latest)))}'` : ""}
      )
      SELECT CAST(cohort_week AS DATE) AS cohort_week, weeks_since, visitors, cohort_size, retention,
             (SELECT count(DISTINCT cohort_week) FROM happened) AS total
      FROM happened
      WHERE cohort_week >= (SELECT max(cohort_week) FROM happened) - INTERVAL ${7 * (shownCohorts - 1)} DAY
      ORDER BY cohort_week, weeks_since`,
  }),
  view(rows, { latest: latestUtc, period }) {
    const data = rows.cohorts ?? [];
    // Cohort weeks are weeks of the reporting time zone: so is the latest data's week.
    const latest = latestUtc ? wallClock(period.zone, latestUtc) : null;
    const weeks = [...new Set(data.map((r) => isoDate(r.cohort_week ?? null)))];
    // The model writes no row for a week in which nobody of a cohort came back: every week up to
    // the latest data's has happened, so its missing cells are 0 %, and only later ones are blank.
    const lastWeek = Math.max(
      ...data.map((r) => mondayOf(isoDate(r.cohort_week ?? null)) + num(r.weeks_since) * weekMs),
      latest ? mondayOf(latest) : Number.NEGATIVE_INFINITY,
    );
    const elapsed = (week: string) => Math.round((lastWeek - mondayOf(week)) / weekMs);
    const maxSince = Math.max(0, ...weeks.map(elapsed));
    const columns = Array.from({ length: maxSince + 1 }, (_, i) => String(i));
    const size = new Map(data.map((r) => [isoDate(r.cohort_week ?? null), r.cohort_size ?? null]));
    const retention = new Map(
      data.map((r) => [`${isoDate(r.cohort_week ?? null)}|${r.weeks_since}`, r.retention ?? null]),
    );
    /** A cohort's share in a week: 0 when the week has passed with no one back, undefined when it is to come. */
    const share = (week: string, since: number) =>
      since > elapsed(week) ? undefined : (retention.get(`${week}|${since}`) ?? 0);
    // The latest data's week is still under way: its shares can only grow, so they say "so far"
    // rather than compare with the whole weeks beside them.
    const currentWeek = latest ? mondayOf(latest) : Number.NaN;
    const isCurrent = (week: string, since: number) => mondayOf(week) + since * weekMs === currentWeek;
    /** The cohort's week after week 0 that holds the latest data: its share counts only so far. */
    const weekUnderWay = (week: string) =>
      columns.slice(1).find((c) => share(week, Number(c)) !== undefined && isCurrent(week, Number(c)));
    const cells = weeks.flatMap((week, y) =>
      columns.flatMap((_, x): [number, number, number, boolean][] => {
        const value = share(week, x);
        // Week 0 is whole by definition (100 %), even while under way.
        return value === undefined ? [] : [[x, y, num(value), x > 0 && isCurrent(week, x)]];
      }),
    );
    // A cohort whose week began before the data did holds only the visitors of the days recorded
    // (and anyone first seen then, however long they had been coming): small, and not like the others.
    const dataStart = period.dataStart;
    const startsBeforeData = (week: string) => dataStart !== null && week < dataStart;
    const partial = weeks.find(startsBeforeData);
    return {
      zone: period.zone,
      partialNote: partial
        ? `The week of the cohort ${partial} began before the data, which starts on ${dataStart}: that cohort holds only the visitors first seen on the days recorded.`
        : "",
      heatmap: data.length
        ? heatmapChart(
            "Retention by cohort week: % of the cohort active N weeks later (all data)",
            weeks,
            columns,
            cells,
          )
        : { title: "Retention by cohort week (all data)", svg: "" },
      cohortTable: cohortTableWithWeeksUnderWay(
        table(
          // Only a longer history is cut to its last weeks: "the last 12" of 9 would promise more than there is.
          num(data[0]?.total ?? 0) > weeks.length
            ? `Retention by cohort week (all data: the last ${weeks.length} of ${formatCount(data[0]?.total ?? null)} cohorts)`
            : "Retention by cohort week (all data)",
          ["Cohort week@", "Visitors#", ...columns.slice(1).map((c) => `Week ${c}#`)],
          weeks.map((w) => [
            // The CSV's field stays the ISO date, which a spreadsheet sorts and filters as one.
            startsBeforeData(w) ? { text: `${w} (data from ${dataStart})`, value: w } : w,
            formatCount(size.get(w) ?? null),
            ...columns.slice(1).map((c) => {
              const value = share(w, Number(c));
              if (value === undefined) return "";
              const soFar = c === weekUnderWay(w) ? " so far" : "";
              return figure((v) => `${formatShareBrief(v)}${soFar}`, value);
            }),
          ]),
        ),
        weeks.map(weekUnderWay),
      ),
    };
  },
};

/**
 * The cohort table, whose CSV file adds a column naming each cohort's week still under way: its
 * share there can only grow, which the page says with "so far" and a spreadsheet would not know.
 */
function cohortTableWithWeeksUnderWay(made: Table, underWay: (string | undefined)[]): Table {
  made.csvRows = {
    columns: [...made.columns.map((c) => c.label), "Week under way"],
    rows: made.rows.map((row, i) => [
      ...row.map((cell) => cell.value),
      underWay[i] ? Number(underWay[i]) : null,
    ]),
  };
  return made;
}
