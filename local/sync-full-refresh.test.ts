import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clearFullRefreshMark, readFullRefreshMark } from "../runner/full-refresh-mark.ts";
import { tempFolder } from "../test/temp-folders.ts";
import { markFullRefresh } from "./sync-full-refresh.ts";

describe("the needs-full-refresh mark a sync leaves", () => {
  it("stays after a full build that read it before a sync landed later hours meanwhile", async () => {
    const data = tempFolder("ownstats-mark-");
    await markFullRefresh(data, new Date("2026-03-01T10:00:00Z"));
    const seen = readFullRefreshMark(data);
    expect(seen?.hour).toEqual(new Date("2026-03-01T10:00:00Z"));
    // While the build runs, a sync fetches late objects of a later hour, which it may not have read.
    await markFullRefresh(data, new Date("2026-03-01T12:00:00Z"));
    if (seen) clearFullRefreshMark(data, seen);
    expect(existsSync(join(data, "needs-full-refresh"))).toBe(true);
    // The earlier hour stays named: the next full build reads from it.
    expect(readFullRefreshMark(data)?.hour).toEqual(new Date("2026-03-01T10:00:00Z"));
  });
});
