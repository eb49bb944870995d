import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { clearFullRefreshMark, fullRefreshMarkText, readFullRefreshMark } from "./full-refresh-mark.ts";

describe("the needs-full-refresh mark", () => {
  it("reads the hour and the reason its writer gave, the hour in place of 'this hour'", () => {
    const data = tempFolder("ownstats-mark-");
    const text = fullRefreshMarkText(
      new Date("2026-03-01T10:00:00Z"),
      "events from this hour on were synced late",
    );
    writeFileSync(join(data, "needs-full-refresh"), text);
    expect(readFullRefreshMark(data)).toEqual({
      text,
      hour: new Date("2026-03-01T10:00:00Z"),
      reason: "events from 2026-03-01T10:00:00.000Z on were synced late",
      written: expect.any(String),
    });
  });

  it("is removed after a full build only as that build read it: one written again meanwhile stays", () => {
    const data = tempFolder("ownstats-mark-");
    const path = join(data, "needs-full-refresh");
    const text = fullRefreshMarkText(
      new Date("2026-03-01T10:00:00Z"),
      "events from this hour on were synced late",
    );
    writeFileSync(path, text);
    const seen = readFullRefreshMark(data);
    if (!seen) throw new Error("no mark read");
    // A sync landed objects of an earlier hour while the build ran.
    writeFileSync(
      path,
      fullRefreshMarkText(new Date("2026-03-01T08:00:00Z"), "events from this hour on were synced late"),
    );
    clearFullRefreshMark(data, seen);
    expect(existsSync(path)).toBe(true);
    const again = readFullRefreshMark(data);
    if (!again) throw new Error("no mark read");
    clearFullRefreshMark(data, again);
    expect(existsSync(path)).toBe(false);
  });
});
