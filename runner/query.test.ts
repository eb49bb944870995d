import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { query } from "./query.ts";
import { openWarehouse } from "./warehouse.ts";

async function ask(sql: string, format: "table" | "csv" | "json") {
  const data = mkdtempSync(join(tmpdir(), "ownstats-query-"));
  const out: string[] = [];
  const err: string[] = [];
  const code = await query(sql, { data, format, out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const sql =
  "select count(*) as n, 'a,\"b\"' as label, timestamptz '2026-03-01 12:00:00+02' as at, null as nothing from range(3)";

describe("ownstats query", () => {
  it("prints JSON with counts as numbers and times as UTC ISO strings", async () => {
    const r = await ask(sql, "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([
      { n: 3, label: 'a,"b"', at: "2026-03-01T10:00:00.000Z", nothing: null },
    ]);
  });

  it("prints CSV with quoting and a table with aligned columns", async () => {
    expect((await ask(sql, "csv")).out).toBe('n,label,at,nothing\n3,"a,""b""",2026-03-01T10:00:00.000Z,');
    const table = (
      await ask("select 'x' as name, 12 as views union all select 'longer', 3 order by 2", "table")
    ).out;
    expect(table.split("\n")).toEqual([
      "name   | views",
      "-------+------",
      "longer |     3",
      "x      |    12",
      "(2 rows)",
    ]);
  });

  it("reports a SQL error clearly and exits 1", async () => {
    const r = await ask("select * from no_such_table", "table");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ownstats query: Catalog Error: Table with name no_such_table does not exist/);
  });

  it("reads the tables the runner built", async () => {
    const data = mkdtempSync(join(tmpdir(), "ownstats-query-"));
    const wh = await openWarehouse(data);
    await wh.run("create table daily as select 7 as visitors");
    wh.close();
    const out: string[] = [];
    expect(await query("select visitors from daily", { data, format: "csv", out: (t) => out.push(t) })).toBe(
      0,
    );
    expect(out).toEqual(["visitors\n7"]);
  });
});
