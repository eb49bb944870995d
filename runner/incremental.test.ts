// Incremental models: the first build and later runs, full rebuilds (asked for, or forced by a
// changed type or definition), and errors naming what is wrong in the config or the query.
// Watermarks and strategies have files of their own.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResults } from "./run-results.ts";
import {
  event,
  hourAt,
  iso,
  partitionDir,
  run,
  incrementalStg as stg,
  tempProject,
  writeEvents,
} from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

describe("incremental models", () => {
  it("build on a fresh install, then read only the partitions after the watermark and merge by key", async () => {
    const p = tempProject({
      "stg.sql": stg,
      "per_hour.sql":
        '{{config materialized="table"}}\nselect hour, count(*) as n from {{ref "stg"}} group by 1',
    });
    // No raw files at all yet: the models still build, empty.
    const fresh = await run("run", p);
    expect(fresh.code).toBe(0);
    // Said, in case --data names the wrong folder.
    expect(fresh.output).toContain(
      `[WARNING]: source "events" has no files under ${join(p.data, "raw")} yet, so the models that read it are built empty`,
    );
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select count(*) as n from stg")).toEqual([{ n: 0 }]);

    // The empty table has no watermark, so the next run reads everything.
    for (const h of [1, 2, 3, 4, 5]) writeEvents(p.data, hourAt(h), [event(`e${h}`, iso(h, 30))]);
    const withData = await run("run", p);
    expect(withData.code).toBe(0);
    expect(withData.output).not.toContain("[WARNING]");
    expect(await wh.all("select count(*) as n from stg")).toEqual([{ n: 5 }]);

    // An old partition that cannot be read: an incremental run must not open it.
    writeFileSync(join(partitionDir(p.data, hourAt(1)), "corrupt.gz"), "this is not gzip");
    // One more hour of data, plus a re-delivery of e5 (same key) with a changed path.
    writeEvents(p.data, hourAt(6), [event("e6", iso(6, 5)), event("e5", iso(6, 6), { page_path: "/again" })]);
    const next = await run("run", p);
    expect(next.output).toMatch(/OK created sql incremental model main\.stg/);
    expect(next.code).toBe(0);
    const results = JSON.parse(readFileSync(join(p.data, "target/run_results.json"), "utf8")) as RunResults;
    // Watermark 05:30 → its hour 05:00 minus the 1 h lookback: partitions 04, 05 and 06.
    expect(results.results.find((r) => r.unique_id === "model.demo.stg")?.adapter_response).toMatchObject({
      mode: "incremental",
      files_read: 3,
      read_since: "2026-03-01T04:00:00.000Z",
      rows_affected: 2,
    });
    expect(await wh.all("select event_id, page_path, hour from stg order by event_id")).toEqual([
      { event_id: "e1", page_path: "/", hour: 1 },
      { event_id: "e2", page_path: "/", hour: 2 },
      { event_id: "e3", page_path: "/", hour: 3 },
      { event_id: "e4", page_path: "/", hour: 4 },
      { event_id: "e5", page_path: "/again", hour: 6 },
      { event_id: "e6", page_path: "/", hour: 6 },
    ]);
    expect(await wh.all("select hour, n from per_hour where hour = 6")).toEqual([{ hour: 6, n: 2 }]);

    // A full refresh reads every partition again — including the unreadable one, proving it was skipped.
    const full = await run("run", p, { fullRefresh: true });
    expect(full.code).toBe(1);
    expect(full.output).toMatch(/corrupt\.gz/);
    expect(await wh.all("select count(*) as n from stg")).toEqual([{ n: 6 }]);
    wh.close();
  });

  it("--full-refresh rebuilds from scratch while a normal run keeps merged rows", async () => {
    const p = tempProject({ "stg.sql": stg });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0))]);
    expect((await run("run", p)).code).toBe(0);
    const wh = await openWarehouse(p.data);
    // A row that no raw file holds any more (say, a deleted file): merges keep it, a full refresh drops it.
    await wh.run("insert into stg values ('ghost', '/', timestamp '2026-03-01 01:10:00', 1)");
    expect((await run("run", p)).code).toBe(0);
    expect(await wh.all("select count(*) as n from stg")).toEqual([{ n: 2 }]);
    const refreshed = await run("run", p, { fullRefresh: true });
    expect(refreshed.code).toBe(0);
    expect(await wh.all("select event_id from stg")).toEqual([{ event_id: "a" }]);
    const results = JSON.parse(readFileSync(join(p.data, "target/run_results.json"), "utf8")) as RunResults;
    expect(results.results[0]?.adapter_response.mode).toBe("full");
    wh.close();
  });

  it("rebuilds in full, rather than casting the batch into the old types, when a column's type changed", async () => {
    // The incremental query gives hour another type than the table has: casting the batch into the
    // table's INTEGER would pass here, and lose values elsewhere (a TIMESTAMP into a DATE).
    const p = tempProject({
      "stg.sql": stg.replace(
        "as ingest_ts, hour",
        "as ingest_ts, {{#if is_incremental}}hour::VARCHAR{{else}}hour{{/if}} as hour",
      ),
    });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0))]);
    expect((await run("run", p)).code).toBe(0);
    writeEvents(p.data, hourAt(2), [event("b", iso(2, 0))]);
    const second = await run("run", p);
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain(
      "stg was rebuilt in full: its column types changed (hour INTEGER → VARCHAR)",
    );
  });

  it("rebuilds an incremental model in full when it had no watermark column or its definition changed", async () => {
    const p = tempProject({
      "stg.sql": '{{config materialized="table"}}\nselect event_id, page_path from {{source "events"}}',
    });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0)), event("b", iso(1, 1))]);
    expect((await run("run", p)).code).toBe(0);
    const results = () =>
      (JSON.parse(readFileSync(join(p.data, "target/run_results.json"), "utf8")) as RunResults).results[0];

    // The table becomes incremental: its stored table has no watermark column yet.
    writeFileSync(join(p.models, "stg.sql"), stg);
    const first = await run("run", p);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('stg was rebuilt in full: the table has no watermark column "ingest_ts"');
    expect(results()?.adapter_response.mode).toBe("full");

    // A new version of the model adds a column: the next run rebuilds instead of failing on the insert.
    writeFileSync(
      join(p.models, "stg.sql"),
      stg.replace("as ingest_ts, hour", "as ingest_ts, hour, 1 as version"),
    );
    writeEvents(p.data, hourAt(2), [event("c", iso(2, 0))]);
    const second = await run("run", p);
    expect(second.code, second.output).toBe(0);
    const changed = "its definition changed since its last build";
    expect(second.output).toContain(`stg was rebuilt in full: ${changed}`);
    expect(results()?.message).toContain(`rebuilt in full: ${changed}`);
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select event_id, version from stg order by 1")).toEqual([
      { event_id: "a", version: 1 },
      { event_id: "b", version: 1 },
      { event_id: "c", version: 1 },
    ]);
    wh.close();
    // And then merges again.
    writeEvents(p.data, hourAt(3), [event("d", iso(3, 0))]);
    expect((await run("run", p)).code).toBe(0);
    expect(results()?.adapter_response.mode).toBe("incremental");
  });

  it("finds the watermark and key columns whatever the case of their names in the config", async () => {
    const p = tempProject({
      "stg.sql": stg.replace(
        'unique_key="event_id" watermark="ingest_ts"',
        'unique_key="Event_ID" watermark="Ingest_TS"',
      ),
    });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0))]);
    expect((await run("run", p)).code).toBe(0);
    writeEvents(p.data, hourAt(2), [event("b", iso(2, 0)), event("a", iso(2, 1), { page_path: "/again" })]);
    const next = await run("run", p);
    expect(next.code, next.output).toBe(0);
    // DuckDB's names ignore case: the stored column ingest_ts is the watermark, not a reason to rebuild.
    expect(next.output).not.toContain("rebuilt in full");
    const results = JSON.parse(readFileSync(join(p.data, "target/run_results.json"), "utf8")) as RunResults;
    expect(results.results[0]?.adapter_response.mode).toBe("incremental");
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select event_id, page_path from stg order by 1")).toEqual([
      { event_id: "a", page_path: "/again" },
      { event_id: "b", page_path: "/" },
    ]);
    wh.close();
  });

  it("names a unique_key or watermark that is not a column of the model, on its first build", async () => {
    const p = tempProject({
      "stg.sql": stg.replace(
        'unique_key="event_id" watermark="ingest_ts"',
        'unique_key="evnt_id" watermark="ingested"',
      ),
      "keyed.sql": stg.replace('unique_key="event_id"', 'unique_key="event_id, page"'),
    });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0))]);
    const first = await run("run", p);
    expect(first.code).toBe(1);
    expect(first.output).toContain(
      'unique_key "evnt_id", watermark "ingested" are not columns of the model (its columns: event_id, page_path, ingest_ts, hour)',
    );
    expect(first.output).toContain('unique_key "page" is not a column of the model');
    // The error points to the {{config}} line that names the column.
    expect(first.output).toContain("Runtime Error in model keyed (models/keyed.sql:1)");
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select count(*) as n from duckdb_tables()")).toEqual([{ n: 0 }]);
    wh.close();
  });

  it("names the model line when the incremental query fails", async () => {
    const p = tempProject({ "stg.sql": stg });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0))]);
    expect((await run("run", p)).code).toBe(0);
    writeEvents(p.data, hourAt(2), [event("b", "not a time")]);
    const failed = await run("run", p);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("Runtime Error in model stg (models/stg.sql");
    expect(failed.output).toMatch(/not a time/);
    // run_results.json gives the query that failed, the incremental one, not the full one.
    const results = JSON.parse(
      readFileSync(join(p.data, "target", "run_results.json"), "utf8"),
    ) as RunResults;
    expect(results.results[0]?.compiled_code).toContain('interval 1 hour from main."stg"');
    rmSync(partitionDir(p.data, hourAt(2)), { recursive: true });
    expect((await run("run", p)).code).toBe(0);
  });
});
