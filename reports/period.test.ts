import { describe, expect, it } from "vitest";
import { periodDays, reportPeriod } from "./period.ts";

const span = (earliest: string | null, latest: string | null) => ({ earliest, latest });

describe("report period", () => {
  it("ends on the day of the latest data and compares with the days before", () => {
    const p = reportPeriod(28, span("2026-09-01T00:00:00.000Z", "2026-11-25T13:45:00.000Z"));
    expect(p).toMatchObject({
      start: "2026-10-29",
      end: "2026-11-25",
      previousStart: "2026-10-01",
      previousEnd: "2026-10-28",
      from: "TIMESTAMP '2026-10-29 00:00:00'",
      until: "TIMESTAMP '2026-11-26 00:00:00'",
    });
    expect(periodDays(p)).toHaveLength(28);
    expect(periodDays(p).at(-1)).toBe("2026-11-25");
  });

  it("ends the previous period as far into its last day as the data reaches into the period's", () => {
    const p = reportPeriod(28, span("2026-09-01T00:00:00.000Z", "2026-11-25T02:58:58.191Z"));
    expect(p.previousFrom).toBe("TIMESTAMP '2026-10-01 00:00:00'");
    expect(p.previousUntil).toBe("TIMESTAMP '2026-10-28 02:58:58.192'");
    expect(p.cutTime).toBe("02:58");
    // Both spans: 27 days, 2 hours, 58 minutes and 58.192 seconds.
    const ms = (literal: string) => Date.parse(`${literal.slice(11, -1).replace(" ", "T")}Z`);
    expect(ms(p.previousUntil) - ms(p.previousFrom)).toBe(
      Date.parse("2026-11-25T02:58:58.192Z") - ms(p.from),
    );
  });

  it("says whether the data reaches back to the previous period's first day", () => {
    const latest = "2026-11-25T13:45:00.000Z";
    expect(reportPeriod(28, span("2026-10-01T23:59:00.000Z", latest)).previousCovered).toBe(true);
    expect(reportPeriod(28, span("2026-10-02T00:00:00.000Z", latest)).previousCovered).toBe(false);
    expect(reportPeriod(28, span(null, null)).previousCovered).toBe(false);
    expect(reportPeriod(28, span("2026-10-02T00:00:00.000Z", latest)).dataStart).toBe("2026-10-02");
    expect(reportPeriod(28, span(null, null)).dataStart).toBe(null);
  });

  it("falls back to today without data", () => {
    expect(reportPeriod(7, span(null, null), new Date("2026-03-01T05:00:00Z")).start).toBe("2026-02-23");
  });

  it("rejects a period that is not a positive whole number of days", () => {
    expect(() => reportPeriod(0, span(null, null))).toThrow(/--days/);
  });
});
