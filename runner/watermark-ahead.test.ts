// An incremental model whose watermark is an event time a client's clock put ahead of the present.
import { describe, expect, it } from "vitest";
import { event, run, tempProject, writeEvents } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

describe("a watermark ahead of the clock", () => {
  it("still reads the raw files that arrive now, and warns that the watermark should be a load time", async () => {
    const p = tempProject({
      "events_seen.sql": [
        '{{config materialized="incremental" unique_key="event_id" watermark="event_ts"}}',
        "select event_id, event_ts::TIMESTAMPTZ::TIMESTAMP as event_ts",
        'from {{source "events"}}',
        // No filter on {{watermark}}: which raw files the run reads decides what it sees.
        "{{#if is_incremental}}where true{{/if}}",
      ].join("\n"),
    });
    const now = Date.now();
    const hour = new Date(Math.floor(now / 3_600_000) * 3_600_000);
    const at = (ms: number) => new Date(ms).toISOString();
    // A client whose clock runs ten hours ahead; the collector accepts up to a day.
    writeEvents(p.data, hour, [
      event("ahead", at(now + 10 * 3_600_000), { ingest_ts: at(now) }),
      event("first", at(now), { ingest_ts: at(now) }),
    ]);
    expect((await run("run", p)).code).toBe(0);
    writeEvents(p.data, hour, [event("arrived", at(now), { ingest_ts: at(now) })], "part-1.gz");
    const second = await run("run", p);
    expect(second.code).toBe(0);
    expect(second.output).toMatch(
      /\[WARNING\]: events_seen: its watermark "event_ts" is at .*, after the current hour .* a load time such as ingest_ts makes a better watermark/,
    );
    const wh = await openWarehouse(p.data);
    expect(await wh.all("select event_id from events_seen order by event_id")).toEqual([
      { event_id: "ahead" },
      { event_id: "arrived" },
      { event_id: "first" },
    ]);
    wh.close();
  });
});
