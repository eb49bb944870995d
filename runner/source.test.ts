import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProject } from "./compile.ts";
import { listSourceFiles, sourceSince } from "./source.ts";
import { event, hourAt, iso, run, incrementalStg as stg, tempProject, writeEvents } from "./testkit.ts";
import { openWarehouse } from "./warehouse.ts";

describe("source partitions", () => {
  it("lists only the hours from `since` on, across year, month and day boundaries", () => {
    const p = tempProject({ "a.sql": "select 1" });
    const source = compileProject(p.models).config.sources.events;
    if (!source) throw new Error("the test project has no events source");
    const hours = [
      "2025-12-31T23:00:00Z",
      "2026-01-31T23:00:00Z",
      "2026-02-28T21:00:00Z",
      "2026-02-28T22:00:00Z",
      "2026-02-28T23:00:00Z",
      "2026-03-01T00:00:00Z",
      "2027-01-01T05:00:00Z",
    ];
    for (const hour of hours) writeEvents(p.data, new Date(hour), [event(hour, hour)]);
    const iso = (files: { hour?: Date }[]) => files.map((f) => f.hour?.toISOString().replace(".000", ""));

    expect(iso(listSourceFiles(p.data, source))).toEqual(hours);
    const since = new Date("2026-02-28T22:00:00Z");
    expect(iso(listSourceFiles(p.data, source, since))).toEqual(hours.slice(3));
    expect(sourceSince(p.data, source, since).files).toBe(4);
    // A `since` inside a month, a year and exactly at a day's start.
    expect(iso(listSourceFiles(p.data, source, new Date("2026-01-15T00:00:00Z")))).toEqual(hours.slice(1));
    expect(iso(listSourceFiles(p.data, source, new Date("2026-03-01T00:00:00Z")))).toEqual(hours.slice(5));
    expect(iso(listSourceFiles(p.data, source, new Date("2027-01-01T05:00:00Z")))).toEqual(hours.slice(6));
    expect(listSourceFiles(p.data, source, new Date("2027-01-01T06:00:00Z"))).toEqual([]);
    // A limit stops the walk: one file says whether the source has any.
    expect(listSourceFiles(p.data, source, undefined, 1)).toHaveLength(1);
  });

  it("reads a data folder whose name holds glob characters as that folder, in a full and an incremental run", async () => {
    const p = tempProject({ "stg.sql": stg });
    const data = join(p.root, "site [data] *");
    // What the name matches read as a pattern: its events must never be read.
    writeEvents(join(p.root, "site a x"), hourAt(1), [event("other", iso(1, 10))]);
    for (const h of [1, 2]) writeEvents(data, hourAt(h), [event(`e${h}`, iso(h, 30))]);
    expect((await run("run", { ...p, data })).code).toBe(0);
    writeEvents(data, hourAt(3), [event("e3", iso(3, 30))]);
    const next = await run("run", { ...p, data });
    expect(next.output).toMatch(/OK created sql incremental model main\.stg/);
    const wh = await openWarehouse(data);
    try {
      expect(await wh.all("select event_id from stg order by event_id")).toEqual([
        { event_id: "e1" },
        { event_id: "e2" },
        { event_id: "e3" },
      ]);
    } finally {
      wh.close();
    }
  });
});
