// DATA/needs-full-refresh, which sync leaves when Firehose wrote an object a day late into an hour the
// incremental models had read past: the next whole build reads it in full and removes the mark; a
// selection leaves it for a whole build and says so.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hourFolder } from "../local/raw-object.ts";
import { markFullRefresh } from "../local/sync-full-refresh.ts";
import { fullRefreshMarkPath } from "../runner/full-refresh-mark.ts";
import { build, clock, ev, query, tempData, writeRaw } from "./models-kit.ts";

const stored = async (data: string) =>
  Number((await query<{ n: number }>(data, "select count(*) as n from stg_events"))[0]?.n);

describe("a build after sync fetched events into hours it had read past", () => {
  it("builds in full once, reading them, and only a whole build takes the mark away", async () => {
    const data = tempData();
    await writeRaw(data, [
      ev({ session_id: "s1", event_ts: clock("10:00") }),
      ev({ session_id: "s2", event_ts: clock("20:00") }),
    ]);
    expect((await build(data)).code).toBe(0);
    // Ten hours behind the newest: an incremental build no longer reads that hour.
    await writeRaw(data, [ev({ session_id: "late", event_ts: clock("10:30") })]);
    expect((await build(data)).code).toBe(0);
    expect(await stored(data)).toBe(2);

    await markFullRefresh(data, new Date(clock("10:00")));
    const selection = await build(data, { select: ["stg_events"] });
    expect(selection.code, selection.output).toBe(0);
    expect(selection.output).toContain(
      "Note: events from 2026-03-02T10:00:00.000Z on were synced after an incremental build read past them",
    );
    expect(selection.output).toContain("a selection does not build in full: a whole `ownstats build` does");
    expect(existsSync(fullRefreshMarkPath(data))).toBe(true);
    expect(await stored(data)).toBe(2);

    const whole = await build(data);
    expect(whole.code, whole.output).toBe(0);
    expect(whole.output).toContain(
      "Building in full (--full-refresh): events from 2026-03-02T10:00:00.000Z on were synced after",
    );
    expect(await stored(data)).toBe(3);
    expect(existsSync(fullRefreshMarkPath(data))).toBe(false);
    // Then incremental again.
    expect((await build(data)).output).not.toContain("Building in full");
  });

  it("keeps the mark when a model of the full build failed", async () => {
    const data = tempData();
    await writeRaw(data, [ev({ session_id: "s1", event_ts: clock("10:00") })]);
    expect((await build(data)).code).toBe(0);
    await markFullRefresh(data, new Date(clock("10:00")));
    // An object that is not gzip fails stg_events, and everything built on it is skipped.
    const folder = join(data, "raw", hourFolder(new Date(clock("11:00"))));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "broken.gz"), "not gzip");
    const failed = await build(data);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("Building in full");
    expect(existsSync(fullRefreshMarkPath(data))).toBe(true);
  });
});
