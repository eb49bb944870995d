// What `ownstats replay` prints when it is done (the replay itself runs against kinesalite in
// test/local-kinesis.test.ts).
import { describe, expect, it } from "vitest";
import { replaySummaryLine } from "./kinesis-replay.ts";

describe("replaySummaryLine", () => {
  const since = new Date("2026-03-01T00:00:00Z");

  it("counts one shard, object and event in the singular", () => {
    expect(
      replaySummaryLine({ shards: 1, events: 1, skipped: 0, objects: 1 }, since, "ownstats", "data"),
    ).toBe(
      "replay: 1 event since 2026-03-01T00:00:00.000Z from 1 shard of ownstats into data/raw/ (1 object); duplicates are removed by event_id in the next build",
    );
  });

  it("counts more in the plural, with the records that are not events", () => {
    expect(replaySummaryLine({ shards: 2, events: 30, skipped: 3, objects: 4 }, since, "s", "d")).toBe(
      "replay: 30 events since 2026-03-01T00:00:00.000Z from 2 shards of s into d/raw/ (4 objects; 3 records that are not events skipped); duplicates are removed by event_id in the next build",
    );
  });
});
