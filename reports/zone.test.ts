import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { localRangeSql, wallClock, zonedMinute } from "./zone.ts";

describe("the reporting time zone", () => {
  it("reads an instant's wall clock across a clock change and a half-hour offset", () => {
    // St John's moves from UTC−3:30 to UTC−2:30 at 02:00 local time on Sunday 8 March 2026.
    expect(wallClock("America/St_Johns", "2026-03-08T05:29:59.250Z")).toBe("2026-03-08T01:59:59.250");
    expect(wallClock("America/St_Johns", "2026-03-08T05:30:00.000Z")).toBe("2026-03-08T03:00:00.000");
    expect(wallClock("UTC", "2026-03-08T05:30:00.000Z")).toBe("2026-03-08T05:30:00.000");
    expect(zonedMinute("Pacific/Auckland", "2026-03-02T11:00:00Z")).toBe("2026-03-03 00:00 Pacific/Auckland");
  });

  it("tells the two hours a clock change back repeats apart by their offset, and no other hour", () => {
    const cases = [
      // Los Angeles goes from UTC−7 back to UTC−8 at 02:00 local time on Sunday 1 November 2026.
      ["America/Los_Angeles", "2026-11-01T07:00:00Z", "2026-11-01 00:00 America/Los_Angeles"],
      ["America/Los_Angeles", "2026-11-01T08:00:00Z", "2026-11-01 01:00 America/Los_Angeles (UTC−7)"],
      ["America/Los_Angeles", "2026-11-01T09:00:00Z", "2026-11-01 01:00 America/Los_Angeles (UTC−8)"],
      ["America/Los_Angeles", "2026-11-01T10:00:00Z", "2026-11-01 02:00 America/Los_Angeles"],
      // Lord Howe Island turns back by half an hour: 01:30–02:00 comes twice on Sunday 5 April 2026.
      ["Australia/Lord_Howe", "2026-04-04T14:45:00Z", "2026-04-05 01:45 Australia/Lord_Howe (UTC+11)"],
      ["Australia/Lord_Howe", "2026-04-04T15:15:00Z", "2026-04-05 01:45 Australia/Lord_Howe (UTC+10:30)"],
      ["Australia/Lord_Howe", "2026-04-04T15:45:00Z", "2026-04-05 02:15 Australia/Lord_Howe"],
    ] as const;
    for (const [zone, instant, shown] of cases) expect(zonedMinute(zone, instant)).toBe(shown);
  });

  it("filters stored UTC times by local days in DuckDB, and leaves UTC's filter as it was", async () => {
    const from = "TIMESTAMP '2026-03-08 00:00:00'";
    const until = "TIMESTAMP '2026-03-09 00:00:00'";
    expect(localRangeSql("t", from, until, "UTC")).toBe(`t >= ${from} AND t < ${until}`);
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      // Sunday 8 March in St John's runs from 03:30 UTC to 02:30 UTC the next day (23 hours).
      const reader = await connection.runAndReadAll(
        `SELECT strftime(t, '%d %H:%M') AS t FROM (VALUES
           (TIMESTAMP '2026-03-08 03:29'), (TIMESTAMP '2026-03-08 03:30'),
           (TIMESTAMP '2026-03-09 02:29'), (TIMESTAMP '2026-03-09 02:30')) AS v(t)
         WHERE ${localRangeSql("t", from, until, "America/St_Johns")} ORDER BY 1`,
      );
      expect(reader.getRowObjectsJson()).toEqual([{ t: "08 03:30" }, { t: "09 02:29" }]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
