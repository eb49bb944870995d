// How an incremental model's watermark is read and bound: a text value with its offset, an epoch
// number, and {{watermark}} as a literal of the column's type.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResults } from "./run-results.ts";
import { event, hourAt, iso, run, incrementalStg as stg, tempProject, writeEvents } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

describe("incremental models: watermarks", () => {
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

  it("says why a table whose every watermark is NULL is rebuilt in full on each run", async () => {
    const p = tempProject({
      "stg.sql": [
        '{{config materialized="incremental" unique_key="event_id" watermark="seen"}}',
        'select event_id, NULL::TIMESTAMP as seen from {{source "events"}}',
      ].join("\n"),
    });
    writeEvents(p.data, hourAt(1), [event("a", iso(1, 0))]);
    expect((await run("run", p)).code).toBe(0);
    const second = await run("run", p);
    expect(second.code).toBe(0);
    expect(second.output).toContain(
      'stg was rebuilt in full: every row\'s watermark "seen" is NULL, so no row tells which data is new',
    );
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
});
