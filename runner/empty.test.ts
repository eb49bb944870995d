import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownstats } from "../cli-run.ts";
import { fullRefreshMarkPath } from "./full-refresh-mark.ts";
import type { RunResults } from "./run-results.ts";
import { columnTests, event, hourAt, iso, run, tempProject, writeEvents } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

// stg (view of the source) → hits (incremental) → per_page (table); a test on hits, one on the source.
const files = {
  "stg.sql": 'select event_id, page_path, ingest_ts::TIMESTAMP as ingest_ts from {{source "events"}}',
  "hits.sql": [
    '{{config materialized="incremental" unique_key="event_id" watermark="ingest_ts"}}',
    'select * from {{ref "stg"}}',
    "{{#if is_incremental}}where ingest_ts > {{watermark}}{{/if}}",
  ].join("\n"),
  "per_page.sql":
    '{{config materialized="table"}}\nselect page_path, count(*) as n from {{ref "hits"}} group by 1',
  "schema.yml": columnTests("hits", "event_id", ["        tests: [not_null]"]),
  "tests/no_blank_ids.sql": "select * from {{source \"events\"}} where event_id = ''",
};

const counts = async (data: string) => {
  const wh = await openWarehouse(data);
  try {
    const n = async (table: string) =>
      Number((await wh.all<{ n: number }>(`select count(*) as n from ${table}`))[0]?.n);
    return { stg: await n("stg"), hits: await n("hits"), per_page: await n("per_page") };
  } finally {
    wh.close();
  }
};

describe("--empty", () => {
  it("builds every model with no rows and tests them; the next run builds everything", async () => {
    const p = tempProject(files);
    for (const h of [1, 2]) writeEvents(p.data, hourAt(h), [event(`e${h}`, iso(h, 30))]);
    const empty = await run("build", p, { empty: true });
    expect(empty.code).toBe(0);
    expect(empty.output).toContain("Building with --empty");
    expect(empty.output).toContain("PASS not_null_hits_event_id");
    expect(empty.output).toContain("PASS no_blank_ids");
    expect(await counts(p.data)).toEqual({ stg: 0, hits: 0, per_page: 0 });
    const results = JSON.parse(readFileSync(join(p.data, "target/run_results.json"), "utf8")) as RunResults;
    expect(results.args).toMatchObject({ which: "build", empty: true });
    // Not a file opened: the source is an empty relation of its columns.
    const result = (name: string) => results.results.find((r) => r.unique_id === `model.demo.${name}`);
    expect(result("stg")?.adapter_response).toMatchObject({ files_read: 0 });
    expect(result("hits")?.compiled_code).toContain('(select * from main."stg" where false limit 0)');

    // The empty incremental table has no watermark: the next run builds it in full, and not as a
    // changed definition.
    const normal = await run("run", p);
    expect(normal.code).toBe(0);
    expect(normal.output).not.toContain("rebuilt in full");
    expect(await counts(p.data)).toEqual({ stg: 2, hits: 2, per_page: 1 });
  });

  it("leaves an incremental table's rows (it merges none), so the next run reads on from its watermark", async () => {
    const p = tempProject(files);
    writeEvents(p.data, hourAt(1), [event("e1", iso(1, 30))]);
    expect((await run("run", p)).code).toBe(0);
    const empty = await run("run", p, { empty: true });
    expect(empty.code).toBe(0);
    expect(empty.output).toContain("but an incremental table keeps the rows it held");
    expect(await counts(p.data)).toEqual({ stg: 0, hits: 1, per_page: 0 });
    writeEvents(p.data, hourAt(2), [event("e2", iso(2, 30))]);
    const next = await run("run", p);
    expect(next.code).toBe(0);
    expect(next.output).not.toContain("rebuilt in full");
    expect(await counts(p.data)).toEqual({ stg: 2, hits: 2, per_page: 1 });
  });

  it("runs a test across tables with its refs reading no row, as dbt's, so an incremental table that kept its rows beside an emptied one fails nothing", async () => {
    const p = tempProject({
      ...files,
      "tests/per_page_counts_every_hit.sql": [
        'select (select count(*) from {{ref "hits"}}) as hits, (select coalesce(sum(n), 0) from {{ref "per_page"}}) as counted',
        "where hits <> counted",
      ].join("\n"),
    });
    writeEvents(p.data, hourAt(1), [event("e1", iso(1, 30))]);
    expect((await run("build", p)).code).toBe(0);
    const empty = await run("build", p, { empty: true });
    expect(await counts(p.data)).toEqual({ stg: 0, hits: 1, per_page: 0 });
    expect(empty.output).toContain("PASS per_page_counts_every_hit");
    expect(empty.code).toBe(0);
    // Its SQL is still run: a test that reads a column no model has is an error.
    const broken = tempProject({
      ...files,
      "tests/per_page_counts_every_hit.sql": 'select * from {{ref "per_page"}} where no_such_column > 0',
    });
    const brokenRun = await run("build", broken, { empty: true });
    expect(brokenRun.output).toContain("ERROR per_page_counts_every_hit");
    expect(brokenRun.code).toBe(1);
  });

  it("says, when a column qualified by its ref fails, that the ref needs an alias, which it does not without --empty", async () => {
    const p = tempProject({
      ...files,
      "per_page.sql":
        '{{config materialized="table"}}\nselect {{ref "hits"}}.page_path, count(*) as n from {{ref "hits"}} group by 1',
    });
    expect((await run("run", p)).code).toBe(0);
    const empty = await run("run", p, { empty: true });
    expect(empty.code).toBe(1);
    expect(empty.output).toContain(
      'With --empty each {{ref}} reads as a subquery without a name, as in dbt, so a column qualified by the ref ({{ref "hits"}}.col) names nothing: give the ref an alias (from {{ref "hits"}} as hits) and qualify with that',
    );
  });

  it("finds a model's SQL error without reading a row, and leaves the full-refresh mark for a whole run", async () => {
    const p = tempProject({
      ...files,
      "per_page.sql": 'select page, count(*) as n from {{ref "hits"}} group by 1',
    });
    writeEvents(p.data, hourAt(1), [event("e1", iso(1, 30))]);
    writeFileSync(fullRefreshMarkPath(p.data), "2026-03-01T01:00:00Z\n");
    const empty = await run("run", p, { empty: true });
    expect(empty.code).toBe(1);
    expect(empty.output).toContain("ERROR creating sql view model main.per_page");
    expect(empty.output).toContain("a run with --empty does not build in full");
    expect(readFileSync(fullRefreshMarkPath(p.data), "utf8")).toContain("2026");
  });

  it("is taken by run and build on the command line, and build renders no reports from the empty tables", async () => {
    const p = tempProject(files);
    const built = await ownstats("build", "--data", p.data, "--models", p.models, "--empty");
    expect(built.code).toBe(0);
    expect(built.stdout).toContain("Reports not rendered: --empty built the models with no rows");
    const test = await ownstats("test", "--data", p.data, "--models", p.models, "--empty");
    expect(test.code).toBe(2);
    expect(test.stderr).toContain("unknown option '--empty'");
  });

  it("is taken by compile, as dbt's: the printed and written SQL reads every ref and source as no row", async () => {
    const p = tempProject(files);
    writeEvents(p.data, hourAt(1), [event("e1", iso(1, 30))]);
    const args = ["--data", p.data, "--models", p.models, "--select", "per_page", "stg"];
    const compiled = await ownstats("compile", ...args, "--empty");
    expect(compiled.code).toBe(0);
    // Its first line says the files are not the queries a run executes.
    expect(compiled.stdout.split("\n")[0]).toBe(
      `Compiled 3 models (1 with an incremental query) and 2 data tests with --empty (every ref and source reads no row; nothing is built) into ${join(p.data, "target", "compiled")}`,
    );
    expect(compiled.stdout).toContain('from (select * from main."hits" where false limit 0) group by 1');
    const stg = readFileSync(join(p.data, "target", "compiled", "models", "stg.sql"), "utf8");
    expect(stg).toContain('from (SELECT CAST(NULL AS VARCHAR) AS "event_id"');
    expect(stg).not.toContain("read_ndjson");
    // Without it, the same SQL reads the relations themselves.
    const whole = await ownstats("compile", ...args);
    expect(whole.stdout).toContain('from main."hits" group by 1');
    expect(readFileSync(join(p.data, "target", "compiled", "models", "stg.sql"), "utf8")).toContain(
      "read_ndjson",
    );
  });
});
