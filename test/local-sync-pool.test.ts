// `ownstats sync` against s3rver (in-process): downloads run in a pool, so one slow object holds up only
// its own slot, while the state still moves only past objects that are in place with all before them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { syncBucket, syncStatePath } from "../local/sync.ts";
import { waitFor } from "./collect-helpers.ts";
import { holdingProxy } from "./s3-proxy-kit.ts";
import { createBucket, s3rverClient, s3rverForFile } from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";

const s3rver = s3rverForFile();

const keyOf = (name: string) => `year=2026/month=02/day=10/hour=12/ownstats-direct-1-${name}.gz`;

describe("sync downloads in a pool", () => {
  it("fetches the objects after a slow one while it is still arriving, and records none of them before it is in place", async () => {
    const bucket = "ownstats-slow-object";
    const put = await createBucket(s3rver(), bucket);
    const slow = keyOf("a");
    const others = ["b", "c", "d", "e", "f", "g"].map(keyOf);
    await put(slow, 50_000);
    for (const key of others) await put(key, 100);
    const data = tempFolder("ownstats-sync-pool-");
    const proxy = await holdingProxy(s3rver().endpoint, "ownstats-direct-1-a.gz");
    const syncing = syncBucket({ bucket, prefix: "raw/", data, client: s3rverClient(proxy.url) });
    try {
      await proxy.holding;
      // Four downloads at a time: with the slow one held, the other three slots go through all six.
      const fetched = () => others.filter((key) => proxy.served.some((url) => url.endsWith(`/raw/${key}`)));
      await waitFor("the objects after the held one", async () =>
        fetched().length === others.length ? true : undefined,
      );
      for (const key of others) expect(existsSync(join(data, "raw", key)), key).toBe(true);
      // Nothing is recorded past an object that is not in place yet.
      expect(existsSync(syncStatePath(data))).toBe(false);
      proxy.release();
      expect(await syncing).toMatchObject({ downloaded: 7, lastKey: `raw/${others.at(-1)}` });
      expect(readFileSync(join(data, "raw", slow)).length).toBe(50_000);
      expect(proxy.served.filter((url) => url.includes("/raw/")).at(-1)).toContain(slow);
    } finally {
      proxy.release();
      // A failed test must not leave sync writing into a temp folder that is being removed.
      await syncing.catch(() => {});
      proxy.server.close();
    }
  });
});
