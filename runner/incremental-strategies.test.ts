// How a batch reaches the stored table: appended, replacing a time range, or merged by key (NULL
// keys, a key twice in one batch, a merge failing after its delete).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResults } from "./run-results.ts";
import { event, hourAt, iso, run, incrementalStg as stg, tempProject, writeEvents } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

describe("incremental models: strategies", () => {
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

  it("refuses a time_range full build with a row that has no time, which no batch would ever replace", async () => {
    const p = tempProject({
      "per_day.sql": [
        '{{config materialized="incremental" incremental_strategy="time_range" time_column="day" watermark="at"}}',
        "select * from (values (DATE '2026-03-01', 1), (NULL, 2)) as t(day, n),",
        "  (select TIMESTAMP '2026-03-01 10:00' as at)",
      ].join("\n"),
    });
    const failed = await run("run", p);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("Runtime Error in model per_day (models/per_day.sql:1)");
    expect(failed.output).toContain("the model's rows have 1 row(s) without a day");
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select count(*) as n from duckdb_tables()")).toEqual([{ n: 0 }]);
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

  it("refuses a full build whose rows hold one key twice, which a later merge would collapse into one", async () => {
    const p = tempProject({ "stg.sql": stg.replace(/\nqualify.*$/, "") });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0)), event("a", iso(1, 1)), event("b", iso(1, 2))]);
    const failed = await run("run", p);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("Runtime Error in model stg (models/stg.sql:1)");
    expect(failed.output).toContain("the model's rows have 1 event_id value(s) on more than one row");
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select count(*) as n from duckdb_tables()")).toEqual([{ n: 0 }]);
    wh.close();
    // Under append nothing is deleted by key: a full build may hold a key twice.
    const appended = tempProject({
      "stg.sql": stg
        .replace(/\nqualify.*$/, "")
        .replace('unique_key="event_id"', 'incremental_strategy="append" unique_key="event_id"'),
    });
    writeEvents(appended.data, hourAt(1), [event("a", iso(1, 0)), event("a", iso(1, 1))]);
    expect((await run("run", appended)).code).toBe(0);
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
});
