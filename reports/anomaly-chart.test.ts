import { describe, expect, it } from "vitest";
import { anomalyChart } from "./anomaly-chart.ts";
import { shortDay } from "./charts.ts";

describe("anomalyChart", () => {
  it("labels an hourly axis at midnights only, at most about eight of them", () => {
    const hours = Array.from({ length: 28 * 24 }, (_, i) => {
      const t = new Date(Date.UTC(2026, 9, 31, i));
      return `${shortDay(t.toISOString().slice(0, 10))} ${t.toISOString().slice(11, 16)}`;
    });
    expect(axisDays(hours)).toEqual(["Oct 31", "Nov 4", "Nov 8", "Nov 12", "Nov 16", "Nov 20", "Nov 24"]);
  });

  it("labels the days of an hourly axis in a zone half an hour off UTC, and on a day without a midnight", () => {
    // Asia/Kolkata (+05:30): every hour starts at half past.
    const kolkata = Array.from({ length: 7 * 24 }, (_, i) => {
      const t = new Date(Date.UTC(2026, 10, 1, i, 30));
      return `${shortDay(t.toISOString().slice(0, 10))} ${t.toISOString().slice(11, 16)}`;
    });
    expect(axisDays(kolkata)).toEqual(["Nov 1", "Nov 2", "Nov 3", "Nov 4", "Nov 5", "Nov 6", "Nov 7"]);
    // America/Santiago moves its clocks from 00:00 to 01:00 on Sep 6 2026.
    const santiago = ["Sep 5 22:00", "Sep 5 23:00", "Sep 6 01:00", "Sep 6 02:00", "Sep 7 00:00"];
    expect(axisDays(santiago)).toEqual(["Sep 6", "Sep 7"]);
  });
});

/** The day labels an hourly chart's axis shows. */
function axisDays(hours: string[]): string[] {
  const svg = anomalyChart(
    "Hourly",
    hours,
    hours.map(() => 5),
    hours.map(() => false),
  ).svg;
  return [...svg.matchAll(/<text[^>]*>([A-Z][a-z]{2} \d+[^<]*)<\/text>/g)].map((m) => m[1] ?? "");
}
