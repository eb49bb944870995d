// `ownstats sync` against s3rver (in-process): what it remembers between runs in DATA/sync-state.json,
// and what it fetches again because of it.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { syncBucket, syncStatePath } from "../local/sync.ts";
import { fullRefreshMarked } from "../runner/full-refresh-mark.ts";
import { bucketToSync, createBucket, s3rverClient, s3rverForFile, startS3rver } from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";

const s3rver = s3rverForFile();

const bucketOf = (name: string) => bucketToSync(s3rver(), name);

describe("sync state", () => {
  it("fetches again an object replaced in S3 under the same key at the same size, and marks it for a full refresh when an incremental build has read past its hour", async () => {
    const { put, sync } = await bucketOf("ownstats-same-size");
    const early = "year=2026/month=02/day=10/hour=09/ownstats-direct-1-2026-02-10-09-10-00-a.gz";
    const recent = "year=2026/month=02/day=10/hour=12/ownstats-direct-1-2026-02-10-12-10-00-b.gz";
    await put(early, 500);
    await put(recent, 500);
    const data = tempFolder("ownstats-sync-same-size-");
    expect(await sync(data)).toMatchObject({ downloaded: 2, replaced: 0 });

    // Delivered again, repaired, at the same size: within the models' lookback of the newest hour.
    const recentAgain = randomBytes(500);
    await put(recent, recentAgain);
    expect(await sync(data)).toMatchObject({ listed: 1, downloaded: 1, replaced: 1 });
    expect(readFileSync(join(data, "raw", recent)).equals(recentAgain)).toBe(true);
    expect(fullRefreshMarked(data)).toBeUndefined();

    // Three hours before the newest: an incremental build has read past it.
    const earlyAgain = randomBytes(500);
    await put(early, earlyAgain);
    const next = await sync(data);
    expect(next).toMatchObject({ downloaded: 1, replaced: 1 });
    expect(next.behindWarehouseFrom?.toISOString()).toBe("2026-02-10T09:00:00.000Z");
    expect(readFileSync(join(data, "raw", early)).equals(earlyAgain)).toBe(true);
    expect(fullRefreshMarked(data)?.toISOString()).toBe("2026-02-10T09:00:00.000Z");
    expect(await sync(data)).toMatchObject({ listed: 0, downloaded: 0 });
  });

  it("keeps the ETags of the hours each run lists again only, so a first sync of a long history does not grow the state with every object", async () => {
    const { put, sync } = await bucketOf("ownstats-long-history");
    const keys = ["day=07/hour=00", "day=08/hour=23", "day=09/hour=12", "day=10/hour=12"].map(
      (hour) => `raw/year=2026/month=02/${hour}/ownstats-direct-1-a.gz`,
    );
    for (const key of keys) await put(key.slice("raw/".length), 100);
    const data = tempFolder("ownstats-sync-long-history-");
    expect(await sync(data)).toMatchObject({ downloaded: 4 });
    const [entry] = Object.values(JSON.parse(readFileSync(syncStatePath(data), "utf8"))) as {
      etags: Record<string, string>;
    }[];
    // 25 hour folders before the last key's: from 11:00 on the 9th.
    expect(Object.keys(entry?.etags ?? {})).toEqual(keys.slice(2));
  });

  it("keeps a position per endpoint: the same bucket and prefix on another S3 server is listed from its start, not from the first one's place", async () => {
    const twin = "ownstats-twin";
    const other = await startS3rver([]);
    try {
      const first = await createBucket(s3rver(), twin);
      const second = await createBucket(other, twin);
      await first("year=2026/month=02/day=10/hour=12/ownstats-direct-1-a.gz", 100);
      const old = "year=2026/month=02/day=01/hour=00/ownstats-direct-1-b.gz";
      await second(old, 100);
      await second("year=2026/month=02/day=10/hour=12/ownstats-direct-1-c.gz", 100);
      const data = tempFolder("ownstats-sync-twin-");
      const sync = (endpoint: string) =>
        syncBucket({ bucket: twin, prefix: "raw/", data, client: s3rverClient(endpoint) });
      expect(await sync(s3rver().endpoint)).toMatchObject({ downloaded: 1 });
      expect(await sync(other.endpoint)).toMatchObject({ downloaded: 2 });
      expect(existsSync(join(data, "raw", old))).toBe(true);
      expect(Object.keys(JSON.parse(readFileSync(syncStatePath(data), "utf8"))).sort()).toEqual(
        [s3rver().endpoint, other.endpoint].map((url) => `s3://${twin}/raw/ at ${url}`).sort(),
      );
    } finally {
      await other.close();
    }
  });

  it("keeps the place a state written without endpoints recorded, under the endpoint's name from then on", async () => {
    const { put, sync } = await bucketOf("ownstats-upgraded");
    const last = "raw/year=2026/month=02/day=10/hour=12/ownstats-direct-1-a.gz";
    await put(last.slice("raw/".length), 100);
    // Expired from the folder, say, long before the place recorded: a run from there does not list it.
    await put("year=2026/month=02/day=01/hour=00/ownstats-direct-1-b.gz", 100);
    const data = tempFolder("ownstats-sync-upgraded-");
    const legacy = "s3://ownstats-upgraded/raw/";
    writeFileSync(
      syncStatePath(data),
      JSON.stringify({ [legacy]: { last_key: last, updated_at: "2026-02-10T13:00:00.000Z" } }),
    );
    expect(await sync(data)).toMatchObject({ downloaded: 1, lastKey: last });
    expect(existsSync(join(data, "raw", "year=2026/month=02/day=01"))).toBe(false);
    const state = JSON.parse(readFileSync(syncStatePath(data), "utf8"));
    expect(Object.keys(state)).toEqual([`${legacy} at ${s3rver().endpoint}`]);
  });

  it("says that a damaged state file costs a listing of the bucket once deleted, not a download of everything again", async () => {
    const { sync } = await bucketOf("ownstats-damaged");
    const data = tempFolder("ownstats-sync-damaged-");
    // What a rename without an fsync can leave after a power loss.
    writeFileSync(syncStatePath(data), "");
    await expect(sync(data)).rejects.toThrow(
      `${syncStatePath(data)} is not valid sync state; delete it, and the next sync lists the bucket from the start and fetches only the objects not in raw/ yet`,
    );
  });
});
