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

  it("says whether the data reaches back to the previous period's start", () => {
    const latest = "2026-11-25T13:45:00.000Z";
    expect(reportPeriod(28, span("2026-09-30T23:59:00.000Z", latest)).previousCovered).toBe(true);
    expect(reportPeriod(28, span("2026-10-01T00:59:59.999Z", latest)).previousCovered).toBe(true);
    // Half of the previous period's first day unrecorded: its figures would come out too low.
    expect(reportPeriod(28, span("2026-10-01T01:00:00.000Z", latest)).previousCovered).toBe(false);
    expect(reportPeriod(28, span("2026-10-01T12:00:00.000Z", latest)).previousCovered).toBe(false);
    expect(reportPeriod(28, span("2026-10-02T00:00:00.000Z", latest)).previousCovered).toBe(false);
    // In the reporting zone's calendar: 2026-10-01 00:30 in Berlin is 2026-09-30 22:30 UTC.
    expect(
      reportPeriod(28, span("2026-09-30T22:30:00.000Z", latest), undefined, "Europe/Berlin").previousCovered,
    ).toBe(true);
    expect(
      reportPeriod(28, span("2026-09-30T23:30:00.000Z", latest), undefined, "Europe/Berlin").previousCovered,
    ).toBe(false);
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

  it("counts days and the last day's cut on the clock of the reporting time zone", () => {
    // 21:30 UTC on Sunday 29 March is 23:30 in Berlin, on the day its clocks moved to summer time.
    const berlin = reportPeriod(
      7,
      span("2026-03-01T00:00:00.000Z", "2026-03-29T21:30:00.000Z"),
      undefined,
      "Europe/Berlin",
    );
    expect(berlin).toMatchObject({
      zone: "Europe/Berlin",
      start: "2026-03-23",
      end: "2026-03-29",
      from: "TIMESTAMP '2026-03-23 00:00:00'",
      until: "TIMESTAMP '2026-03-30 00:00:00'",
      cutTime: "23:30",
      // The same time of day a week before, on winter time.
      previousUntil: "TIMESTAMP '2026-03-22 23:30:00.001'",
    });
    // 02:00 UTC is still the evening before in St John's (UTC−3:30).
    const stJohns = reportPeriod(
      7,
      span("2026-02-01T00:00:00.000Z", "2026-03-02T02:00:00.000Z"),
      undefined,
      "America/St_Johns",
    );
    expect([stJohns.end, stJohns.cutTime]).toEqual(["2026-03-01", "22:30"]);
    // Without data the period ends on the build's day there: already Monday in Auckland.
    expect(reportPeriod(1, span(null, null), new Date("2026-03-01T12:00:00Z"), "Pacific/Auckland").end).toBe(
      "2026-03-02",
    );
    expect(reportPeriod(1, span(null, null), new Date("2026-03-01T12:00:00Z")).end).toBe("2026-03-01");
  });
});
