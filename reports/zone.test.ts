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
