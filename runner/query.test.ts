import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { holdWarehouse } from "../test/hold-warehouse.ts";
import { tempFolder } from "../test/temp-folders.ts";
import { query } from "./query.ts";
import { openWarehouse } from "./warehouse.ts";

async function ask(sql: string, format: "table" | "csv" | "json") {
  const data = tempFolder("ownstats-query-");
  (await openWarehouse(data)).close();
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

  it("prints a table without the control characters a stored visitor's text may hold, which a terminal would act on", async () => {
    const table = (
      await ask(
        "select '/a' || chr(10) || 'forged | 1' || chr(27) || ']52;c;aGk=' || chr(7) as page_path",
        "table",
      )
    ).out;
    expect(table.split("\n")).toEqual([
      "page_path".padEnd(25),
      "-".repeat(25),
      "/a\ufffdforged | 1\ufffd]52;c;aGk=\ufffd",
      "(1 row)",
    ]);
  });

  it("writes a whole double or decimal as DuckDB does, 1.0, in the table and CSV, and as a number in JSON", async () => {
    const select =
      "select 1::double as d, 2::float as f, 4.0 as rate, 0.25 as share, 7 as n, null::double as none";
    expect((await ask(select, "csv")).out).toBe("d,f,rate,share,n,none\n1.0,2.0,4.0,0.25,7,");
    expect((await ask(select, "table")).out.split("\n")[2]).toBe("1.0 | 2.0 |  4.0 |  0.25 | 7 | NULL");
    expect(JSON.parse((await ask(select, "json")).out)).toEqual([
      { d: 1, f: 2, rate: 4, share: 0.25, n: 7, none: null },
    ]);
  });

  it("prints dates, times, intervals, decimals and timestamps to the microsecond as DuckDB holds them", async () => {
    const r = await ask(
      "select date '2026-03-01' as day, time '01:02:03' as t, interval 3 hour as span, " +
        "timestamp '2026-03-01 12:00:00.123456' as at, 'infinity'::timestamp as never, " +
        "123456789012345678.12::decimal(38,2) as wide, 0.25::decimal(4,2) as share, " +
        "[date '2026-03-02'] as days",
      "json",
    );
    expect(r.err).toBe("");
    expect(JSON.parse(r.out)).toEqual([
      {
        day: "2026-03-01",
        t: "01:02:03",
        span: "03:00:00",
        at: "2026-03-01T12:00:00.123456Z",
        never: "infinity",
        wide: "123456789012345678.12",
        share: 0.25,
        days: ["2026-03-02"],
      },
    ]);
  });

  it("runs each statement in turn and prints the last one's result, as psql -c does", async () => {
    const r = await ask("select 5 as a; create temp table t as select 7 as b; select b from t;", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([{ b: 7 }]);
  });

  it("names SQL that holds no statement as a usage error, instead of DuckDB's bare native error", async () => {
    for (const sql of ["", " ; ", "-- a comment", "/* a comment */"]) {
      const r = await ask(sql, "table");
      expect(r.code, sql).toBe(2);
      expect(r.err, sql).toBe("ownstats query: no SQL statement given");
    }
  });

  it("reports a SQL error clearly and exits 1", async () => {
    const r = await ask("select * from no_such_table", "table");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ownstats query: Catalog Error: Table with name no_such_table does not exist/);
  });

  it("names a --data folder without a warehouse and creates nothing there", async () => {
    const parent = tempFolder("ownstats-query-none-");
    const err: string[] = [];
    const run = (data: string) =>
      query("select 1", { data, format: "table", out: () => {}, err: (t) => err.push(t) });
    const misspelt = join(parent, "dta");
    expect(await run(misspelt)).toBe(1);
    expect(err.pop()).toBe(
      `ownstats query: no data folder ${misspelt}: run \`ownstats build --data ${misspelt}\` first`,
    );
    expect(existsSync(misspelt)).toBe(false);
    expect(await run(parent)).toBe(1);
    expect(err.pop()).toBe(
      `ownstats query: no warehouse in ${parent}: run \`ownstats build --data ${parent}\` first`,
    );
    expect(readdirSync(parent)).toEqual([]);
  });

  it("writes CSV and JSON as DuckDB hands the rows over, not after holding them all", async () => {
    const data = tempFolder("ownstats-query-");
    (await openWarehouse(data)).close();
    const many = "select range as n, 'row ' || range as s from range(100000)";
    for (const format of ["csv", "json"] as const) {
      const pieces: string[] = [];
      expect(await query(many, { data, format, out: (t) => pieces.push(t) })).toBe(0);
      // Chunk by chunk: an export of millions of rows needs no more memory than one chunk.
      expect(pieces.length).toBeGreaterThan(10);
      const text = pieces.join("\n");
      if (format === "csv") {
        const lines = text.split("\n");
        expect([lines.length, lines[1], lines.at(-1)]).toEqual([100_001, "0,row 0", "99999,row 99999"]);
      } else {
        const rows = JSON.parse(text) as { n: number; s: string }[];
        expect([rows.length, rows[0], rows.at(-1)]).toEqual([
          100_000,
          { n: 0, s: "row 0" },
          { n: 99999, s: "row 99999" },
        ]);
        expect(text).toBe(JSON.stringify(rows, null, 2));
      }
    }
    const none: string[] = [];
    await query("select 1 as n where false", { data, format: "json", out: (t) => none.push(t) });
    expect(none.join("\n")).toBe("[]");
  });

  it("shows a table's first 1,000 rows, and says how many there were and how to have them all", async () => {
    const r = await ask("select range as n from range(2500)", "table");
    const lines = r.out.split("\n");
    expect(lines.length).toBe(2 + 1000 + 1);
    expect(lines.at(-2)).toBe("999");
    expect(lines.at(-1)).toBe("(2500 rows; the first 1000 shown: --format csv or json prints them all)");
  });

  it("says, when DuckDB runs out of the memory it may use, what that was and how to give it more", async () => {
    const data = tempFolder("ownstats-query-");
    process.env.OWNSTATS_MEMORY_LIMIT = "8MB";
    // Opened first here with the limit: DuckDB takes its settings when a file is first opened.
    (await openWarehouse(data)).close();
    try {
      const err: string[] = [];
      const code = await query("select count(distinct range::VARCHAR || 'x') from range(3000000)", {
        data,
        format: "csv",
        out: () => undefined,
        err: (t) => err.push(t),
      });
      expect(code).toBe(1);
      expect(err.join("\n")).toMatch(/^ownstats query: Out of Memory Error/);
      expect(err.join("\n")).toContain("DuckDB may use 8MB here (set by OWNSTATS_MEMORY_LIMIT)");
    } finally {
      delete process.env.OWNSTATS_MEMORY_LIMIT;
    }
  });

  it("reads the tables the runner built", async () => {
    const data = tempFolder("ownstats-query-");
    const wh = await openWarehouse(data);
    await wh.run("create table daily as select 7 as visitors");
    wh.close();
    const out: string[] = [];
    expect(await query("select visitors from daily", { data, format: "csv", out: (t) => out.push(t) })).toBe(
      0,
    );
    expect(out.join("\n")).toBe("visitors\n7");
  });
});

describe("ownstats query while another process holds the warehouse", () => {
  it("waits until the other process lets go, then answers", async () => {
    const data = tempFolder("ownstats-query-");
    const { exited } = await holdWarehouse(data, 1500);
    const out: string[] = [];
    const err: string[] = [];
    const code = await query("select answer from t", {
      data,
      format: "csv",
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    expect(code).toBe(0);
    expect(out.join("\n")).toBe("answer\n42");
    expect(err).toEqual([
      "ownstats query: the warehouse is in use by another process (a build?); waiting for it",
    ]);
    await exited;
  });

  it("gives up with a clear message after waitMs", async () => {
    const data = tempFolder("ownstats-query-");
    const { child, exited } = await holdWarehouse(data, 3000);
    const err: string[] = [];
    const code = await query("select 1", {
      data,
      format: "csv",
      waitMs: 400,
      out: () => {},
      err: (t) => err.push(t),
    });
    expect(code).toBe(1);
    expect(err.at(-1)).toBe(
      "ownstats query: the warehouse is still in use by another process after 0.4 s; try again",
    );
    child.kill();
    await exited;
  });
});
