// Overview: KPI tiles against the previous period, daily visitors and sessions, top pages, channels,
// sources and referring sites of the period, and when the data was last updated.
import type { Row } from "../../runner/warehouse.ts";
import { barChart, lineChart } from "../charts.ts";
import {
  type Change,
  change,
  changePoints,
  formatCount,
  formatSeconds,
  formatShare,
  isoDate,
  num,
} from "../format.ts";
import { type ConversionTableOptions, conversionTable, type Page, shownOf, table } from "../page.ts";
import { lastDayNote, lastDayPartial, periodDatesSql, periodDays } from "../period.ts";
import { periodPageTotalsSql } from "../period-pages.ts";
import { periodChannelsSql, periodReferringSitesSql, periodSourcesSql } from "../period-sources.ts";
import { referrerCell, referringSites, topReferrersSql } from "../referring-sites.ts";
import { localRangeSql, localSql } from "../zone.ts";

export const overview: Page = {
  slug: "index",
  title: "Overview",
  nav: "Overview",
  queries: ({ period }) => ({
    kpis: `
      SELECT CASE WHEN ${localSql("started_at", period.zone)} >= ${period.from} THEN 'current' ELSE 'previous' END AS part,
             count(DISTINCT coalesce(visitor_id, session_id)) AS visitors,
             count(*) AS sessions,
             coalesce(sum(page_views), 0) AS page_views,
             count(*) FILTER (WHERE converted) AS conversions,
             avg(CASE WHEN is_bounce THEN 1.0 ELSE 0.0 END) AS bounce_rate,
             avg(engaged_s) AS engaged_s
      FROM sessions
      WHERE (${localRangeSql("started_at", period.previousFrom, period.previousUntil, period.zone)})
         OR (${localRangeSql("started_at", period.from, period.until, period.zone)})
      GROUP BY part`,
    daily: `
      SELECT CAST("date" AS DATE) AS day, visitors, sessions
      FROM daily
      WHERE ${periodDatesSql(period)}
      ORDER BY day`,
    top_pages: periodPageTotalsSql(period, "views", 10),
    top_channels: periodChannelsSql(period),
    top_sources: periodSourcesSql(period, 10),
    top_referrers: topReferrersSql(
      periodReferringSitesSql(period),
      "referrer, sessions, conversions",
      "sessions DESC, referrer",
      10,
    ),
  }),
  view(rows, input) {
    const days = periodDays(input.period);
    const series = (field: string) => dailySeries(days, rows.daily ?? [], field, input.period.dataStart);
    const [visitors, sessions] = [series("visitors"), series("sessions")];
    const topPages = rows.top_pages ?? [];
    return {
      kpis: kpiTiles(rows.kpis ?? [], input.period.previousCovered),
      // Without any data every day is null: the chart would be an empty frame.
      dailyChart:
        input.period.dataStart === null
          ? { title: "Daily visitors and sessions", svg: "", empty: "no data yet" }
          : lineChart(
              "Daily visitors and sessions",
              days,
              [
                { name: "visitors", values: visitors },
                { name: "sessions", values: sessions },
              ],
              "per day",
              lastDayPartial(input.period),
            ),
      // The chart's figures for a reader who cannot see it: its aria-label names it, no more.
      dailyTable:
        input.period.dataStart === null
          ? null
          : table(
              "Visitors and sessions per day",
              ["Day@", "Visitors#", "Sessions#"],
              days.map((day, i) => [day, formatCount(visitors[i] ?? null), formatCount(sessions[i] ?? null)]),
            ),
      lastDayNote: lastDayNote(input.period, "dashed"),
      pagesChart: topPages.length
        ? barChart(
            "Top pages by page views",
            topPages.map((r) => String(r.page_path)),
            [{ name: "page views", values: topPages.map((r) => num(r.views)) }],
            { horizontal: true, valueName: "page views" },
          )
        : { title: "Top pages by page views", svg: "" },
      pagesTable: table(
        shownOf(topPages, "Top pages", (n, total) => `The ${n} most viewed of ${total} pages of the period`),
        ["Page", "Page views#", "Sessions#"],
        topPages.map((r) => [String(r.page_path), formatCount(r.views), formatCount(r.sessions)]),
        "No data in this period.",
      ),
      channelsTable: topConversionTable(
        rows.top_channels ?? [],
        "Top channels",
        "channels",
        "Channel",
        "channel",
      ),
      sourcesTable: topConversionTable(rows.top_sources ?? [], "Top sources", "sources", "Source", "source"),
      referrersTable: topConversionTable(
        rows.top_referrers ?? [],
        "Top referring sites",
        "referring sites",
        "Site",
        "referrer",
        referringSites(rows.top_referrers ?? []),
        referrerCell,
      ),
    };
  },
};

/**
 * The period's top sources or referring sites, whose caption says how many it leaves out: of the
 * `counted` rows (the referring sites without "(none)"), all of them unless told.
 */
function topConversionTable(
  rows: Row[],
  whole: string,
  plural: string,
  label: string,
  key: string,
  counted: Row[] = rows,
  name?: ConversionTableOptions["name"],
) {
  const caption = shownOf(
    counted,
    whole,
    (n, total) => `The ${n} ${plural} with the most sessions, of ${total} in the period`,
  );
  return conversionTable(caption, label, key, rows, { name, empty: "No data in this period." });
}

/**
 * A field of the daily mart for each day of the period: 0 on a day without sessions, null before
 * the data starts, where nobody could have been counted (a chart draws no line there, not a zero).
 */
export function dailySeries(
  days: string[],
  daily: Row[],
  field: string,
  dataStart: string | null,
): (number | null)[] {
  const byDay = new Map(daily.map((r) => [isoDate(r.day ?? null), r]));
  return days.map((d) => (dataStart === null || d < dataStart ? null : num(byDay.get(d)?.[field] ?? 0) || 0));
}

/** The previous period has sessions, but the data starts after its first day: a change would read growth. */
const partlyRecorded: Change = {
  text: "previous period only partly in the data",
  direction: "none",
  tone: "neutral",
};

function kpiTiles(rows: Row[], previousCovered: boolean) {
  const current = rows.find((r) => r.part === "current") ?? {};
  const previous = rows.find((r) => r.part === "previous") ?? {};
  const rate = (r: Row) => num(r.conversions ?? null) / num(r.sessions ?? null);
  const hasPrevious = rows.some((r) => r.part === "previous");
  const comparable = previousCovered || !hasPrevious;
  // The figure a change is taken from, so that a reader sees "−18.2 %" is 27 against 33, not 2,700 against 3,300.
  const tile = (label: string, value: string, c: Change, previousValue: string) => ({
    label,
    value,
    change: comparable ? c : partlyRecorded,
    // Kept on one line with its unit: "36.0" above a lone "%" on a phone's narrow tile misreads.
    previous: comparable && hasPrevious ? `previous period: ${previousValue.replaceAll(" ", "\u00a0")}` : "",
  });
  const count = (field: string, label: string) =>
    tile(
      label,
      formatCount(current[field] ?? 0),
      // Without a previous row the previous period had no session: NaN says "no previous data".
      change(num(current[field] ?? 0), num(previous[field] ?? null)),
      formatCount(previous[field] ?? 0),
    );
  return [
    count("visitors", "Visitors"),
    count("sessions", "Sessions"),
    count("page_views", "Page views"),
    count("conversions", "Conversions"),
    tile(
      "Conversion rate",
      formatShare(rate(current)),
      changePoints(rate(current), rate(previous)),
      formatShare(rate(previous)),
    ),
    tile(
      "Bounce rate",
      formatShare(current.bounce_rate ?? null),
      changePoints(num(current.bounce_rate ?? null), num(previous.bounce_rate ?? null), "lower is better"),
      formatShare(previous.bounce_rate ?? null),
    ),
    tile(
      "Engaged time per session",
      formatSeconds(current.engaged_s ?? null),
      change(num(current.engaged_s ?? null), num(previous.engaged_s ?? null)),
      formatSeconds(previous.engaged_s ?? null),
    ),
  ];
}
