// `ownstats sync` against s3rver (in-process): an object is recorded as synced only once its file is
// whole, and a file left at another size than the object (cut short by a power loss before it reached
// the disk) is fetched again while its hour is listed again, not reported as replaced in S3.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { syncBucket, syncStatePath } from "../local/sync.ts";
import { syncReport } from "../local/sync-report.ts";
import { holdingProxy } from "./s3-proxy-kit.ts";
import { bucketToSync, createBucket, s3rverClient, s3rverForFile } from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";

const s3rver = s3rverForFile();

const first = "year=2026/month=02/day=10/hour=12/ownstats-direct-1-a.gz";
const second = "year=2026/month=02/day=10/hour=12/ownstats-direct-1-b.gz";

describe("sync of a file cut short on disk", () => {
  it("fetches again an object whose file is empty or short, and says so rather than that S3 replaced it", async () => {
    const { put, sync } = await bucketToSync(s3rver(), "ownstats-short-file");
    const bodies = [randomBytes(4000), randomBytes(4000)];
    await put(first, bodies[0] as Buffer);
    await put(second, bodies[1] as Buffer);
    const data = tempFolder("ownstats-sync-short-");
    expect(await sync(data)).toMatchObject({ downloaded: 2 });
    truncateSync(join(data, "raw", first), 0);
    truncateSync(join(data, "raw", second), 1000);

    const again = await sync(data);
    expect(again).toMatchObject({ downloaded: 2, incomplete: 2, replaced: 0 });
    expect(readFileSync(join(data, "raw", first)).equals(bodies[0] as Buffer)).toBe(true);
    expect(readFileSync(join(data, "raw", second)).equals(bodies[1] as Buffer)).toBe(true);
    expect(syncReport(again, data, "s3://ownstats-short-file/raw/", "raw/")[1]).toBe(
      `sync: 2 objects of those were in ${data}/raw/ at another size than in s3://ownstats-short-file/raw/ (cut short, as by a power loss or an interrupted copy), and were fetched again`,
    );
    expect(await sync(data)).toMatchObject({ downloaded: 0 });
  });

  it("records an object in the state only once its file is complete in place", async () => {
    const bucket = "ownstats-record-after";
    const put = await createBucket(s3rver(), bucket);
    await put(first, 100);
    await put(second, 50_000);
    const data = tempFolder("ownstats-sync-record-after-");
    const proxy = await holdingProxy(s3rver().endpoint, "ownstats-direct-1-b.gz");
    try {
      const syncing = syncBucket({
        bucket,
        prefix: "raw/",
        data,
        client: s3rverClient(proxy.url),
        concurrency: 1,
      });
      await proxy.holding;
      // Half of the second object has arrived: the state names the first, complete, and not the second.
      const state = readFileSync(syncStatePath(data), "utf8");
      expect(state).toContain(`raw/${first}`);
      expect(state).not.toContain(`raw/${second}`);
      expect(existsSync(join(data, "raw", second))).toBe(false);
      proxy.release();
      expect(await syncing).toMatchObject({ downloaded: 2, lastKey: `raw/${second}` });
      expect(readFileSync(join(data, "raw", second)).length).toBe(50_000);
    } finally {
      proxy.release();
      proxy.server.close();
    }
  });
});
