// Raw retention deletes day folders and marks a full refresh; a full build that starts while it
// deletes may still read them, and removes the mark it read once done: the mark is written again
// after the deletion, so the next full build takes the deleted days out of the warehouse.
import { describe, expect, it, vi } from "vitest";
import { writeRawObject } from "../local/raw-object.ts";
import { expireRawDays } from "../local/sync-retention.ts";
import {
  clearFullRefreshMark,
  type FullRefreshMark,
  readFullRefreshMark,
} from "../runner/full-refresh-mark.ts";
import { tempFolder } from "./temp-folders.ts";

const afterDelete = vi.hoisted(() => ({ hook: undefined as (() => void) | undefined }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    rm: async (...args: Parameters<typeof actual.rm>) => {
      await actual.rm(...args);
      afterDelete.hook?.();
    },
  };
});

describe("raw retention during a full build", () => {
  it("leaves the mark for the next build when a build read it before the days were deleted", async () => {
    const data = tempFolder("ownstats-retention-mark-");
    for (const hour of ["2026-02-26T08:00:00Z", "2026-02-27T08:00:00Z", "2026-03-30T09:00:00Z"])
      await writeRawObject(data, ["{}"], new Date(hour));
    let seen: FullRefreshMark | undefined;
    // A build starts after the first day folder went, before the second did.
    afterDelete.hook = () => {
      seen ??= readFullRefreshMark(data);
    };
    const expired = await expireRawDays(data, 30, Date.parse("2026-03-31T10:00:00Z"));
    afterDelete.hook = undefined;
    expect(expired).toMatchObject({ days: 2, files: 2 });
    expect(seen?.hour).toEqual(new Date("2026-02-28T00:00:00Z"));
    if (seen) clearFullRefreshMark(data, seen);
    expect(readFullRefreshMark(data)?.hour).toEqual(new Date("2026-02-28T00:00:00Z"));
  });
});
