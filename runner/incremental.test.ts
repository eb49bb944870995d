import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResults } from "./run-results.ts";
import { event, hourAt, iso, partitionDir, run, tempProject, writeEvents } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

const stg = [
  '{{config materialized="incremental" unique_key="event_id" watermark="ingest_ts"}}',
  "select event_id, page_path, ingest_ts::TIMESTAMPTZ::TIMESTAMP as ingest_ts, hour",
  'from {{source "events"}}',
  "{{#if is_incremental}}",
  "where ingest_ts::TIMESTAMPTZ::TIMESTAMP > (select max(ingest_ts) - interval 1 hour from {{self}})",
  "{{/if}}",
  "qualify row_number() over (partition by event_id order by ingest_ts desc) = 1",
].join("\n");

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

  it("reads a text watermark with its offset: 07:30+02:00 is hour 05 UTC", async () => {
    const p = tempProject({
      "raw_copy.sql":
        '{{config materialized="incremental" unique_key="event_id" watermark="ingest_ts"}}\nselect event_id, ingest_ts from {{source "events"}}',
    });
    writeEvents(p.data, hourAt(5), [event("a", "2026-03-01T07:30:00+02:00")]);
    expect((await run("run", p)).code).toBe(0);
    writeEvents(p.data, hourAt(6), [event("b", iso(6, 0))]);
    expect((await run("run", p)).code).toBe(0);
    const results = JSON.parse(readFileSync(join(p.data, "target/run_results.json"), "utf8")) as RunResults;
    expect(results.results[0]?.adapter_response).toMatchObject({
      mode: "incremental",
      read_since: "2026-03-01T04:00:00.000Z",
      files_read: 2,
    });
  });

  it("binds a text watermark to the stored value of the latest instant, whatever its offset", async () => {
    const p = tempProject({
      "log.sql": [
        '{{config materialized="incremental" incremental_strategy="append" watermark="ingest_ts"}}',
        'select event_id, ingest_ts from {{source "events"}}',
        "{{#if is_incremental}}where ingest_ts::TIMESTAMPTZ > {{watermark}}::TIMESTAMPTZ{{/if}}",
      ].join("\n"),
    });
    // 03:20+02:00 is 01:20 UTC: the largest string, but not the latest time (b, at 01:30 UTC).
    writeEvents(p.data, hourAt(1), [event("a", "2026-03-01T03:20:00+02:00"), event("b", iso(1, 30))]);
    expect((await run("run", p)).code).toBe(0);
    // No new data: an append that reads from the wrong watermark would store b a second time.
    expect((await run("run", p)).code).toBe(0);
    const executed = readFileSync(join(p.data, "target/run/models/log.sql"), "utf8");
    expect(executed).toContain(`> CAST('${iso(1, 30)}' AS VARCHAR)::TIMESTAMPTZ`);
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select event_id from log order by 1")).toEqual([
      { event_id: "a" },
      { event_id: "b" },
    ]);
    wh.close();
  });

  it("takes an epoch number as watermark: {{watermark}} is bound and the source is read in full", async () => {
    const p = tempProject({
      "stg.sql": [
        '{{config materialized="incremental" unique_key="event_id" watermark="ingested"}}',
        'select event_id, epoch(ingest_ts::TIMESTAMPTZ)::BIGINT as ingested from {{source "events"}}',
        "{{#if is_incremental}}where epoch(ingest_ts::TIMESTAMPTZ)::BIGINT > {{watermark}}{{/if}}",
      ].join("\n"),
    });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0))]);
    expect((await run("run", p)).code).toBe(0);
    writeEvents(p.data, hourAt(2), [event("b", iso(2, 0))]);
    const next = await run("run", p);
    expect(next.code, next.output).toBe(0);
    const executed = readFileSync(join(p.data, "target/run/models/stg.sql"), "utf8");
    expect(executed).toContain(`> CAST('${Date.UTC(2026, 2, 1, 1) / 1000}' AS BIGINT)`);
    const results = JSON.parse(readFileSync(join(p.data, "target/run_results.json"), "utf8")) as RunResults;
    // A number has no hour to prune partitions by: every partition is read.
    expect(results.results[0]?.adapter_response).toMatchObject({ mode: "incremental", files_read: 2 });
    expect(results.results[0]?.adapter_response.read_since).toBeUndefined();
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select event_id from stg order by 1")).toEqual([
      { event_id: "a" },
      { event_id: "b" },
    ]);
    wh.close();
  });

  it("binds {{watermark}} to the stored maximum as a literal of the column's type", async () => {
    const p = tempProject({
      "stg.sql": stg,
      "per_event.sql": [
        '{{config materialized="incremental" unique_key="event_id" watermark="seen_at"}}',
        'select event_id, ingest_ts as seen_at from {{ref "stg"}}',
        "{{#if is_incremental}}where ingest_ts > {{watermark}}{{/if}}",
      ].join("\n"),
    });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 10)), event("b", "2026-03-01T01:20:00.123456Z")]);
    expect((await run("run", p)).code).toBe(0);
    writeEvents(p.data, hourAt(2), [event("c", iso(2, 0))]);
    expect((await run("run", p)).code).toBe(0);
    const executed = readFileSync(join(p.data, "target/run/models/per_event.sql"), "utf8");
    expect(executed).toContain("where ingest_ts > CAST('2026-03-01 01:20:00.123456' AS TIMESTAMP)");
    const results = JSON.parse(readFileSync(join(p.data, "target/run_results.json"), "utf8")) as RunResults;
    expect(
      results.results.find((r) => r.unique_id === "model.demo.per_event")?.adapter_response,
    ).toMatchObject({
      mode: "incremental",
      rows_affected: 1,
    });
    const compiled = readFileSync(join(p.data, "target/compiled/models/per_event.incremental.sql"), "utf8");
    expect(compiled).toContain('where ingest_ts > (select max("seen_at") from main."per_event")');
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select event_id from per_event order by 1")).toEqual([
      { event_id: "a" },
      { event_id: "b" },
      { event_id: "c" },
    ]);
    wh.close();
  });

  it("appends the batch without deleting stored keys under incremental_strategy=append", async () => {
    const p = tempProject({
      "log.sql": [
        '{{config materialized="incremental" incremental_strategy="append" watermark="ingest_ts"}}',
        "select event_id, page_path, ingest_ts::TIMESTAMPTZ::TIMESTAMP as ingest_ts",
        'from {{source "events"}}',
        "{{#if is_incremental}}where ingest_ts::TIMESTAMPTZ::TIMESTAMP > {{watermark}}{{/if}}",
      ].join("\n"),
    });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0))]);
    expect((await run("run", p)).code).toBe(0);
    // A later copy of "a": delete+insert would replace the stored row; append keeps both.
    writeEvents(p.data, hourAt(2), [event("a", iso(2, 0), { page_path: "/later" })]);
    expect((await run("run", p)).code).toBe(0);
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select event_id, page_path from log order by ingest_ts")).toEqual([
      { event_id: "a", page_path: "/" },
      { event_id: "a", page_path: "/later" },
    ]);
    wh.close();
  });

  it("replaces the stored rows from the batch's earliest time on under incremental_strategy=time_range", async () => {
    const p = tempProject({
      "stg.sql": [
        '{{config materialized="incremental" unique_key="event_id" watermark="ingest_ts"}}',
        "select event_id, session_id, event_ts::TIMESTAMPTZ::TIMESTAMP as event_ts,",
        "  ingest_ts::TIMESTAMPTZ::TIMESTAMP as ingest_ts",
        'from {{source "events"}}',
        "{{#if is_incremental}}where ingest_ts::TIMESTAMPTZ::TIMESTAMP > {{watermark}}{{/if}}",
      ].join("\n"),
      // Sessions by the hour of their first event: a late, earlier event moves a session to an earlier hour.
      "starts.sql": [
        '{{config materialized="incremental" incremental_strategy="time_range" time_column="hour" watermark="ingest_ts"}}',
        "with sessions as (",
        "  select session_id, date_trunc('hour', min(event_ts)) as hour, max(ingest_ts) as ingest_ts",
        '  from {{ref "stg"}} group by 1',
        ")",
        "select hour, count(*) as sessions, max(ingest_ts) as ingest_ts from sessions",
        "{{#if is_incremental}}where hour >= (select min(hour) from sessions where ingest_ts > {{watermark}}){{/if}}",
        "group by 1",
      ].join("\n"),
    });
    writeEvents(p.data, hourAt(5), [
      event("a", iso(1, 10), { session_id: "x", ingest_ts: iso(5, 0) }),
      event("b", iso(3, 10), { session_id: "y", ingest_ts: iso(5, 1) }),
      event("c", iso(5, 10), { session_id: "z" }),
    ]);
    expect((await run("run", p)).code).toBe(0);
    const wh = await openWarehouse(p.data);
    const rows = () => wh.all("select hour::VARCHAR as hour, sessions from starts order by hour");
    // A stored row before the next batch's earliest hour: the merge must leave it as it is.
    await wh.run("update starts set sessions = 99 where hour = timestamp '2026-03-01 01:00'");

    // y gets an event from 02:30; w is new at 05:40. The batch holds the hours from 02:00 on.
    writeEvents(p.data, hourAt(6), [
      event("d", iso(2, 30), { session_id: "y", ingest_ts: iso(6, 0) }),
      event("e", iso(5, 40), { session_id: "w", ingest_ts: iso(6, 1) }),
    ]);
    expect((await run("run", p)).code).toBe(0);
    const afterMove = [
      { hour: "2026-03-01 01:00:00", sessions: 99 },
      { hour: "2026-03-01 02:00:00", sessions: 1 },
      // 03:00 had only y: the batch has no such row, so it goes.
      { hour: "2026-03-01 05:00:00", sessions: 2 },
    ];
    expect(await rows()).toEqual(afterMove);

    // No new data: an empty batch replaces nothing.
    expect((await run("run", p)).code).toBe(0);
    expect(await rows()).toEqual(afterMove);
    expect(
      (JSON.parse(readFileSync(join(p.data, "target/run_results.json"), "utf8")) as RunResults).results.find(
        (r) => r.unique_id === "model.demo.starts",
      )?.adapter_response,
    ).toMatchObject({ mode: "incremental", rows_affected: 0 });
    wh.close();
  });

  it("refuses a time_range batch with a row that has no time", async () => {
    const p = tempProject({
      "per_day.sql": [
        '{{config materialized="incremental" incremental_strategy="time_range" time_column="day" watermark="at"}}',
        "select {{#if is_incremental}}NULL::DATE{{else}}DATE '2026-03-01'{{/if}} as day, 1 as n,",
        "  TIMESTAMP '2026-03-01 10:00' as at",
      ].join("\n"),
    });
    expect((await run("run", p)).code).toBe(0);
    const failed = await run("run", p);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("the incremental batch has 1 row(s) without a day");
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select day::VARCHAR as day, n from per_day")).toEqual([{ day: "2026-03-01", n: 1 }]);
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

  it("replaces a stored row whose key is NULL", async () => {
    const p = tempProject({
      "per_path.sql": [
        '{{config materialized="incremental" unique_key="page_path" watermark="at"}}',
        "select page_path, count(*) as n, max(ingest_ts::TIMESTAMPTZ::TIMESTAMP) as at",
        'from {{source "events"}}',
        "group by 1",
      ].join("\n"),
    });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0)), event("b", iso(1, 1), { page_path: null })]);
    expect((await run("run", p)).code).toBe(0);
    // The batch reads hours 1 and 2 again: both keys, NULL among them, come back with new counts.
    writeEvents(p.data, hourAt(2), [event("c", iso(2, 0)), event("d", iso(2, 1), { page_path: null })]);
    expect((await run("run", p)).code).toBe(0);
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select page_path, n from per_path order by page_path nulls last")).toEqual([
      { page_path: "/", n: 2 },
      { page_path: null, n: 2 },
    ]);
    wh.close();
  });

  it("refuses to merge a batch that holds one key twice", async () => {
    const p = tempProject({ "stg.sql": stg.replace(/\nqualify.*$/, "") });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0))]);
    expect((await run("run", p)).code).toBe(0);
    writeEvents(p.data, hourAt(2), [event("b", iso(2, 0)), event("b", iso(2, 1))]);
    const failed = await run("run", p);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("the incremental batch has 1 event_id value(s) on more than one row");
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select event_id from stg")).toEqual([{ event_id: "a" }]);
    wh.close();
  });

  it("leaves the table untouched when a merge fails after its delete", async () => {
    const p = tempProject({ "stg.sql": stg });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0)), event("b", iso(1, 1))]);
    expect((await run("run", p)).code).toBe(0);
    // A constraint the batch breaks: the batch builds, the delete of "a" runs, the insert fails.
    const wh = await openWarehouse(p.data);
    await wh.run("ALTER TABLE stg ALTER COLUMN page_path SET NOT NULL");
    wh.close();
    writeEvents(p.data, hourAt(2), [event("a", iso(2, 0), { page_path: undefined })]);
    const failed = await run("run", p);
    expect(failed.code).toBe(1);
    expect(failed.output).toMatch(/NOT NULL constraint/);
    const after = await openWarehouse(p.data);
    expect(await after.all("select event_id, page_path from stg order by 1")).toEqual([
      { event_id: "a", page_path: "/" },
      { event_id: "b", page_path: "/" },
    ]);
    after.close();
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
    rmSync(partitionDir(p.data, hourAt(2)), { recursive: true });
    expect((await run("run", p)).code).toBe(0);
  });
});
