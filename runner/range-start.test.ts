import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { event, hourAt, iso, run, tempProject, writeEvents } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

const stg = [
  '{{config materialized="incremental" unique_key="event_id" watermark="ingest_ts"}}',
  "select event_id, event_type, session_id, event_ts::TIMESTAMPTZ::TIMESTAMP as event_ts,",
  "  ingest_ts::TIMESTAMPTZ::TIMESTAMP as ingest_ts",
  'from {{source "events"}}',
  "{{#if is_incremental}}where ingest_ts::TIMESTAMPTZ::TIMESTAMP > {{watermark}}{{/if}}",
].join("\n");

// Human sessions by the hour of their first event: a late bot signal takes a session out of its hour.
const humanStarts = (rangeStart: string, where: string) =>
  [
    '{{config materialized="incremental" incremental_strategy="time_range" time_column="hour" watermark="ingest_ts"}}',
    "{{#if is_incremental}}",
    "{{#range_start}}",
    rangeStart,
    "{{/range_start}}",
    "{{/if}}",
    "with sessions as (",
    "  select session_id, date_trunc('hour', min(event_ts)) as hour, max(ingest_ts) as ingest_ts",
    '  from {{ref "stg"}} group by 1',
    "  having not bool_or(event_type = 'bot_signal')",
    ")",
    "select hour, count(*) as sessions, max(ingest_ts) as ingest_ts from sessions",
    `{{#if is_incremental}}${where}{{/if}}`,
    "group by 1",
  ].join("\n");

const touchedStart = [
  "select date_trunc('hour', min(event_ts)) from {{ref \"stg\"}}",
  'where session_id in (select session_id from {{ref "stg"}} where ingest_ts > {{watermark}})',
].join("\n");

describe("{{#range_start}} of a time_range model", () => {
  it("replaces the rows from the declared start on, also those of a first period the batch has no rows for", async () => {
    const p = tempProject({
      "stg.sql": stg,
      "human_starts.sql": humanStarts(touchedStart, "where hour >= {{range_start}}"),
    });
    writeEvents(p.data, hourAt(5), [
      event("a", iso(1, 10), { session_id: "x", ingest_ts: iso(5, 0) }),
      event("b", iso(3, 10), { session_id: "y", ingest_ts: iso(5, 1) }),
      event("c", iso(4, 10), { session_id: "z" }),
    ]);
    expect((await run("run", p)).code).toBe(0);
    // y turns out to be a bot: 03:00 loses its only session, and the batch has no row for it.
    writeEvents(p.data, hourAt(6), [
      event("d", iso(3, 20), { session_id: "y", event_type: "bot_signal", ingest_ts: iso(6, 0) }),
      event("e", iso(4, 40), { session_id: "w", ingest_ts: iso(6, 1) }),
    ]);
    const second = await run("run", p);
    expect(second.code).toBe(0);
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select hour::VARCHAR as hour, sessions from human_starts order by hour")).toEqual([
      { hour: "2026-03-01 01:00:00", sessions: 1 },
      { hour: "2026-03-01 04:00:00", sessions: 2 },
    ]);
    wh.close();
    // target/compiled shows the declared start as its query.
    const compiled = readFileSync(
      join(p.data, "target/compiled/models/human_starts.incremental.sql"),
      "utf8",
    );
    expect(compiled).toContain("where hour >= (select date_trunc('hour', min(event_ts)) from main.\"stg\"");
  });

  it("refuses a batch with rows before its declared start, and a start outside a time_range model", async () => {
    const p = tempProject({
      "stg.sql": stg,
      "human_starts.sql": humanStarts(touchedStart, ""),
    });
    writeEvents(p.data, hourAt(5), [event("a", iso(1, 10), { session_id: "x" })]);
    expect((await run("run", p)).code).toBe(0);
    writeEvents(p.data, hourAt(6), [event("b", iso(4, 10), { session_id: "y", ingest_ts: iso(6, 0) })]);
    const failed = await run("run", p);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain(
      "the incremental batch has 1 row(s) with hour before its {{#range_start}} (CAST('2026-03-01 04:00:00' AS TIMESTAMP))",
    );

    const merged = tempProject({
      "keyed.sql": [
        '{{config materialized="incremental" unique_key="id" watermark="at"}}',
        "{{#if is_incremental}}{{#range_start}}select 1{{/range_start}}{{/if}}",
        "select 1 as id, now() as at",
      ].join("\n"),
    });
    const refused = await run("run", merged);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain("models/keyed.sql:2");
    expect(refused.output).toContain('it needs incremental_strategy="time_range", not "delete+insert"');
  });
});
