// Anomalies: hourly events over the period, flagged hours marked on the chart and listed.
import { anomalyChart } from "../charts.ts";
import { formatCount, formatDecimal, isoHour, num } from "../format.ts";
import { type Page, table } from "../page.ts";

export const anomalies: Page = {
  slug: "anomalies",
  title: "Anomalies",
  nav: "Anomalies",
  queries: ({ period }) => ({
    hours: `
      SELECT CAST(hour AS TIMESTAMP) AS hour, events, baseline, z, coalesce(is_anomaly, false) AS is_anomaly
      FROM anomalies
      WHERE hour >= ${period.from} AND hour < ${period.until}
      ORDER BY hour`,
  }),
  view(rows) {
    const hours = rows.hours ?? [];
    const flagged = hours.filter((r) => r.is_anomaly === true);
    return {
      chart: hours.length
        ? anomalyChart(
            "Events per hour, anomalies marked",
            hours.map((r) => isoHour(r.hour ?? null).slice(5, 16)),
            hours.map((r) => num(r.events)),
            hours.map((r) => r.is_anomaly === true),
          )
        : { title: "Events per hour", svg: "" },
      flaggedTable: table(
        "Flagged hours in the period",
        ["Hour", "Events#", "Baseline#", "Robust z#", "Direction"],
        flagged.map((r) => [
          isoHour(r.hour ?? null),
          formatCount(r.events),
          formatDecimal(r.baseline ?? null, 1),
          formatDecimal(r.z ?? null, 1),
          num(r.z ?? 0) > 0 ? "spike" : "drop",
        ]),
        "No hour was flagged in this period.",
      ),
    };
  },
};
