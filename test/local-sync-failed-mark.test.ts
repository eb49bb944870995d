// A sync that fails part-way (one download refused) may already have landed other objects behind the
// warehouse in raw/: a full build that listed raw/ before they landed removes the mark it read once
// done, so the mark must be written again for those objects too, or no later build reads them (the
// next sync finds them in place and does not mark them).
import { describe, expect, it, vi } from "vitest";
import { syncBucket } from "../local/sync.ts";
import {
  clearFullRefreshMark,
  type FullRefreshMark,
  readFullRefreshMark,
} from "../runner/full-refresh-mark.ts";
import { createBucket, s3rverClient, s3rverForFile } from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";

const failing = vi.hoisted(() => ({
  key: "",
  others: 0,
  landed: () => {},
  hook: undefined as (() => void) | undefined,
}));
vi.mock("../local/sync-download.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../local/sync-download.ts")>();
  return {
    ...actual,
    download: async (...args: Parameters<typeof actual.download>) => {
      if (args[2] === failing.key) {
        // Refused once the other objects of its chunk have landed.
        await new Promise<void>((resolve) => {
          failing.landed = resolve;
        });
        throw new Error("refused");
      }
      const downloaded = await actual.download(...args);
      failing.hook?.();
      if (++failing.others === 3) failing.landed();
      return downloaded;
    },
  };
});

const s3rver = s3rverForFile();

describe("a sync that fails after objects behind the warehouse landed", () => {
  it("leaves them marked for the next full build", async () => {
    const s3 = s3rver();
    const put = await createBucket(s3, "ownstats-failed-sync");
    const client = s3rverClient(s3.endpoint);
    const sync = (data: string) =>
      syncBucket({ bucket: "ownstats-failed-sync", prefix: "raw/", data, client, concurrency: 4 });
    await put("year=2026/month=02/day=10/hour=12/ownstats-direct-1-2026-02-10-12-10-00-a.gz", 100);
    const data = tempFolder("ownstats-failed-sync-");
    await sync(data);
    const key = (hour: string) =>
      `year=2026/month=02/day=09/hour=${hour}/ownstats-direct-1-2026-02-09-${hour}-00-00-b.gz`;
    for (const hour of ["14", "15", "16", "17"]) await put(key(hour), 100);
    failing.key = `raw/${key("14")}`;
    // A full build starts once the first of them landed, and read the mark as it was then.
    let seen: FullRefreshMark | undefined;
    failing.hook = () => {
      seen ??= readFullRefreshMark(data);
    };
    await expect(sync(data)).rejects.toThrow();
    failing.hook = undefined;
    expect(seen?.hour).toEqual(new Date("2026-02-09T14:00:00Z"));
    if (seen) clearFullRefreshMark(data, seen);
    // 15:00, 16:00 and 17:00 are in raw/, behind the warehouse, read by no build yet.
    expect(readFullRefreshMark(data)?.hour).toBeDefined();
    expect(readFullRefreshMark(data)?.hour?.getTime()).toBeLessThanOrEqual(
      Date.parse("2026-02-09T15:00:00Z"),
    );
  });
});
