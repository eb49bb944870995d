import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { openWarehouse } from "./warehouse.ts";

describe("warehouse", () => {
  it("returns counts as numbers and times as UTC ISO strings, whatever the machine's zone", async () => {
    const data = tempFolder("ownstats-wh-");
    const wh = await openWarehouse(data);
    const [row] = await wh.all(
      "select count(*) as n, timestamptz '2026-03-01 12:00:00+02' as t, 12345678901234567890::hugeint as big",
    );
    expect(row).toEqual({ n: 1, t: "2026-03-01T10:00:00.000Z", big: "12345678901234567890" });
    wh.close();
  });

  it("works in UTC whatever the machine's TZ, so TIMESTAMPTZ casts never shift an hour", async () => {
    const data = tempFolder("ownstats-wh-");
    const wh = await openWarehouse(data);
    const [row] = await wh.all(
      "select current_setting('TimeZone') as zone, strftime('2026-03-01T05:10:00+02:00'::TIMESTAMPTZ::TIMESTAMP, '%H:%M') as utc",
    );
    expect(row).toEqual({ zone: "UTC", utc: "03:10" });
    wh.close();
  });

  it("shares one database between two opens of the same folder in a process", async () => {
    const data = tempFolder("ownstats-wh-");
    const a = await openWarehouse(data);
    await a.run("create table t as select 1 as x");
    const b = await openWarehouse(data);
    expect(await b.all("select x from t")).toEqual([{ x: 1 }]);
    a.close();
    b.close();
  });

  it("names a damaged warehouse file, and how to rebuild it from raw/", async () => {
    const whole = tempFolder("ownstats-wh-");
    const wh = await openWarehouse(whole);
    await wh.run("create table t as select range as x from range(100000)");
    await wh.run("checkpoint");
    wh.close();
    for (const damaged of [
      "not a database",
      readFileSync(join(whole, "warehouse.duckdb")).subarray(0, 100),
    ]) {
      const data = tempFolder("ownstats-wh-");
      const path = join(data, "warehouse.duckdb");
      writeFileSync(path, damaged);
      await expect(openWarehouse(data)).rejects.toThrow(`${path} is damaged or not a DuckDB database (`);
      await expect(openWarehouse(data)).rejects.toThrow(
        `It holds only what the models derive from ${join(data, "raw")}: delete it and run \`ownstats build --full-refresh --data ${data}\``,
      );
      // The way out it names works.
      rmSync(path);
      const rebuilt = await openWarehouse(data);
      expect(await rebuilt.all("select 1 as x")).toEqual([{ x: 1 }]);
      rebuilt.close();
    }
  });
});
