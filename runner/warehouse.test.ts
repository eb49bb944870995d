import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openWarehouse } from "./warehouse.ts";

describe("warehouse", () => {
  it("returns counts as numbers and times as UTC ISO strings, whatever the machine's zone", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-wh-"));
    const wh = await openWarehouse(data);
    const [row] = await wh.all(
      "select count(*) as n, timestamptz '2026-03-01 12:00:00+02' as t, 12345678901234567890::hugeint as big",
    );
    expect(row).toEqual({ n: 1, t: "2026-03-01T10:00:00.000Z", big: "12345678901234567890" });
    wh.close();
  });

  it("works in UTC whatever the machine's TZ, so TIMESTAMPTZ casts never shift an hour", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-wh-"));
    const wh = await openWarehouse(data);
    const [row] = await wh.all(
      "select current_setting('TimeZone') as zone, strftime('2026-03-01T05:10:00+02:00'::TIMESTAMPTZ::TIMESTAMP, '%H:%M') as utc",
    );
    expect(row).toEqual({ zone: "UTC", utc: "03:10" });
    wh.close();
  });

  it("shares one database between two opens of the same folder in a process", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-wh-"));
    const a = await openWarehouse(data);
    await a.run("create table t as select 1 as x");
    const b = await openWarehouse(data);
    expect(await b.all("select x from t")).toEqual([{ x: 1 }]);
    a.close();
    b.close();
  });
});
