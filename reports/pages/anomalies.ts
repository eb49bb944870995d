// Anomalies: hourly events over the period, flagged hours marked on the chart and listed. The model's
// hours are UTC hours; each is shown by its start in the reporting time zone.
import type { Row } from "../../runner/warehouse.ts";
import { anomalyChart } from "../anomaly-chart.ts";
import { shortDays } from "../charts.ts";
import { figure, formatCount, formatDecimal, num, type Value, zonedTime } from "../format.ts";
import { type Page, table } from "../page.ts";
import { timestamp } from "../period.ts";
import { localRangeSql, wallClock } from "../zone.ts";

/** The list shows the strongest flags; the chart marks them all. */
const listed = 25;

export const anomalies: Page = {
  slug: "anomalies",
  title: "Anomalies",
  nav: "Anomalies",
  queries: ({ period, latest }) => ({
    hours: `
      SELECT CAST(hour AS TIMESTAMP) AS hour, events, baseline, z, coalesce(is_anomaly, false) AS is_anomaly
      FROM anomalies
      WHERE ${localRangeSql("hour", period.from, period.until, period.zone)}${latest ? ` AND hour < ${hourAfter(latest)}` : ""}
      ORDER BY hour`,
  }),
  view(rows, { latest, period }) {
    // The hour of the latest data is still filling (the reports are rebuilt within it): its count
    // can only grow, so a spike in it is one already, but a drop is most likely the hour's rest to come.
    const filling = latest?.slice(0, 13);
    const isFlagged = (r: Row) =>
      r.is_anomaly === true && !(String(r.hour).slice(0, 13) === filling && num(r.z) < 0);
    const hours = rows.hours ?? [];
    const flagged = hours.filter(isFlagged);
    const strongest = [...flagged].sort((a, b) => Math.abs(num(b.z)) - Math.abs(num(a.z))).slice(0, listed);
    return {
      chart: hours.length
        ? anomalyChart(
            "Events per hour, anomalies marked",
            hourLabels(hours.map((r) => wallClock(period.zone, String(r.hour)))),
            hours.map((r) => num(r.events)),
            hours.map(isFlagged),
          )
        : { title: "Events per hour", svg: "" },
      // The chart's figures for a reader who cannot see it: its aria-label names it, no more.
      hoursTable: hours.length
        ? table(
            "Events per hour, each against its baseline",
            ["Hour@", "Events#", "Baseline#", "Flagged"],
            hours.map((r) => [
              zonedTime(r.hour ?? null, period.zone),
              formatCount(r.events),
              figure(tenths, r.baseline ?? null),
              isFlagged(r) ? direction(r) : "no",
            ]),
          )
        : null,
      flaggedTable: table(
        // Without any hour there was nothing to flag: "0 hours flagged" would read as a quiet period.
        hours.length === 0
          ? "Hours flagged in the period"
          : flagged.length > listed
            ? `${flagged.length} hours flagged in the period; the ${listed} furthest from their baseline`
            : `${flagged.length} hour${flagged.length === 1 ? "" : "s"} flagged in the period`,
        ["Hour@", "Events#", "Baseline#", "Robust z#", "Direction"],
        strongest.map((r) => [
          zonedTime(r.hour ?? null, period.zone),
          formatCount(r.events),
          figure(tenths, r.baseline ?? null),
          figure(tenths, r.z ?? null),
          direction(r),
        ]),
        hours.length
          ? "No hour was flagged in this period."
          : period.dataStart === null
            ? "No data yet."
            : "No data in this period.",
      ),
    };
  },
};

/**
 * The end of the latest data's hour, a SQL TIMESTAMP (UTC). The model lays out every hour up to the
 * last event's, and an event stamped by a visitor's clock running ahead (the collector takes event_ts
 * up to a day ahead) adds hours that have not happened yet: empty so far, they would read as drops.
 */
function hourAfter(latest: string): string {
  const hour = 3_600_000;
  const end = Math.floor(Date.parse(latest) / hour) * hour + hour;
  return timestamp(end);
}

const tenths = (value: Value) => formatDecimal(value, 1);

const direction = (r: Row) => (num(r.z ?? 0) > 0 ? "spike" : "drop");

/** "Nov 20 14:00" from wall-clock "2026-11-20 14:00…" times, with the year when they span two. */
function hourLabels(wallTimes: string[]): string[] {
  const days = shortDays(wallTimes.map((wall) => wall.slice(0, 10)));
  return wallTimes.map((wall, i) => `${days[i]} ${wall.slice(11, 16)}`);
}
