// `ownstats sync` against s3rver (in-process): objects Firehose writes into hour folders a run has
// already passed, by the other delivery stream taking over or by a delivery to S3 retried for a day.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ERROR_OUTPUT_FOLDER,
  FIREHOSE_MAX_BUFFER_SECONDS,
  FIREHOSE_RETRY_HOURS,
  LATE_WRITE_HOURS,
} from "../local/sync.ts";
import { REPORT_ROLE_FOLDER } from "../local/sync-s3-error.ts";
import { fullRefreshMarked, fullRefreshMarkPath } from "../runner/full-refresh-mark.ts";
import { ERRORS_PREFIX, RAW_PREFIX } from "../stacks/event-store.ts";
import { resourcesOf, synthesizeStack } from "../stacks/synthesized.ts";
import { bucketToSync, gzFiles, lastSyncedKey, s3rverForFile } from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";

const s3rver = s3rverForFile();

const bucketOf = (name: string) => bucketToSync(s3rver(), name);

describe("sync of late objects", () => {
  it("fetches an object that lands late in an hour already synced, as when the other delivery stream takes over", async () => {
    const late = "ownstats-late";
    const { put, sync } = await bucketOf(late);
    const hour = "year=2026/month=02/day=10/hour=12";
    await put(`year=2026/month=02/day=10/hour=11/ownstats-from-stream-1-2026-02-10-11-50-00-a.gz`, 100);
    await put(`${hour}/ownstats-from-stream-1-2026-02-10-12-00-00-b.gz`, 200);
    const data = tempFolder("ownstats-sync-late-");
    expect(await sync(data)).toMatchObject({ downloaded: 2 });

    // The direct stream's names sort before the stream-fed one's, in the same and the previous hour.
    await put(`${hour}/ownstats-direct-1-2026-02-10-12-05-00-c.gz`, 300);
    await put(`year=2026/month=02/day=10/hour=11/ownstats-direct-1-2026-02-10-11-58-00-d.gz`, 400);
    const next = await sync(data);
    expect(next).toMatchObject({ listed: 2, downloaded: 2, bytes: 700 });
    // Within the models' lookback of the newest hour already here: an incremental build reads them.
    expect(next.behindWarehouseFrom).toBeUndefined();
    expect(gzFiles(join(data, "raw"))).toHaveLength(4);
    expect(lastSyncedKey(data)).toBe(`raw/${hour}/ownstats-from-stream-1-2026-02-10-12-00-00-b.gz`);
    expect(await sync(data)).toMatchObject({ listed: 0, downloaded: 0 });
  });

  it("fetches the objects Firehose writes a day late, after S3 refused its deliveries, in hour folders far behind the newest", async () => {
    const { put, sync } = await bucketOf("ownstats-retried");
    await put("year=2026/month=02/day=10/hour=11/ownstats-direct-1-2026-02-10-11-10-00-a.gz", 100);
    await put("year=2026/month=02/day=10/hour=12/ownstats-direct-1-2026-02-10-12-10-00-b.gz", 100);
    const data = tempFolder("ownstats-sync-retried-");
    expect(await sync(data)).toMatchObject({ downloaded: 2 });

    // Written after that run, each after a day of retries: named after the arrival hour of its oldest
    // record, up to 24 hours and a 15-minute buffer before the write, so as far back as 11:00 on the 9th.
    const retried = [
      "year=2026/month=02/day=09/hour=11/ownstats-direct-1-2026-02-09-11-59-00-c.gz",
      "year=2026/month=02/day=09/hour=11/ownstats-from-stream-1-2026-02-09-11-58-00-d.gz",
      "year=2026/month=02/day=09/hour=12/ownstats-direct-1-2026-02-09-12-30-00-e.gz",
      "year=2026/month=02/day=10/hour=05/ownstats-direct-1-2026-02-10-05-00-00-f.gz",
    ];
    for (const key of retried) await put(key, 300);
    const next = await sync(data);
    expect(next).toMatchObject({ listed: 4, downloaded: 4, bytes: 1200 });
    expect(gzFiles(join(data, "raw"))).toEqual(expect.arrayContaining(retried));
  });

  it("marks a late object older than an incremental build reads for a full refresh, even when the run stops after fetching it", async () => {
    const { put, sync } = await bucketOf("ownstats-behind");
    await put("year=2026/month=02/day=10/hour=12/ownstats-direct-1-2026-02-10-12-10-00-a.gz", 100);
    const data = tempFolder("ownstats-sync-behind-");
    expect(await sync(data)).toMatchObject({ downloaded: 1 });
    expect(existsSync(fullRefreshMarkPath(data))).toBe(false);

    // Two hours back is still read by an incremental build; 22 hours back is not.
    await put("year=2026/month=02/day=10/hour=10/ownstats-direct-1-2026-02-10-10-50-00-b.gz", 100);
    const recent = await sync(data);
    expect(recent.downloaded).toBe(1);
    expect(recent.behindWarehouseFrom).toBeUndefined();
    expect(existsSync(fullRefreshMarkPath(data))).toBe(false);

    const late = "year=2026/month=02/day=09/hour=14/ownstats-direct-1-2026-02-09-14-00-00-c.gz";
    const next = "year=2026/month=02/day=10/hour=13/ownstats-direct-1-2026-02-10-13-00-00-d.gz";
    await put(late, 100);
    await put(next, 100);
    // The next object cannot be written (a folder stands where its partial file goes): the run stops.
    mkdirSync(join(data, "raw", `${next}.part`), { recursive: true });
    await expect(sync(data)).rejects.toThrow();
    expect(existsSync(join(data, "raw", late))).toBe(true);
    expect((await fullRefreshMarked(data))?.toISOString()).toBe("2026-02-09T14:00:00.000Z");
  });

  it("lists back as far as the deployed streams can still write: their retention and the longest buffer the stack accepts", () => {
    const { tf } = synthesizeStack();
    for (const stream of Object.values(resourcesOf(tf, "aws_kinesis_stream")))
      expect(stream.retention_period).toBeLessThanOrEqual(FIREHOSE_RETRY_HOURS);
    const bufferCheck = (tf.variable.firehose_buffer_seconds?.validation as { condition: string }[])[0];
    expect(bufferCheck?.condition).toContain(`var.firehose_buffer_seconds <= ${FIREHOSE_MAX_BUFFER_SECONDS}`);
    // Hour folders in UTC, as sync and the models read them: no custom time zone.
    for (const delivery of Object.values(resourcesOf(tf, "aws_kinesis_firehose_delivery_stream")))
      expect(JSON.stringify(delivery)).not.toContain("time_zone");
    expect(LATE_WRITE_HOURS).toBe(25);
    // Sync leaves the error output alone wherever the prefix points.
    expect(ERROR_OUTPUT_FOLDER).toBe(ERRORS_PREFIX);
    // A refused listing names the folder the report reader role may list.
    expect(REPORT_ROLE_FOLDER).toBe(RAW_PREFIX);
  }, 60_000);
});
