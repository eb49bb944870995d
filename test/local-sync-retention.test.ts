// `ownstats sync --raw-retention-days N` against s3rver (in-process): the days the bucket has expired
// leave the data folder and, through a full refresh, the warehouse, as they leave the bucket.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { syncBucket } from "../local/sync.ts";
import { syncReport } from "../local/sync-report.ts";
import { expiredHour, expireRawDays, firstKeptDay } from "../local/sync-retention.ts";
import { fullRefreshMarkPath } from "../runner/full-refresh-mark.ts";
import { build, clock, ev, query, tempData, writeRaw } from "./models-kit.ts";
import { bucketToSync, gzFiles, s3rverClient, s3rverForFile } from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";

const s3rver = s3rverForFile();
const now = Date.parse("2026-03-31T10:00:00Z");

describe("raw retention", () => {
  it("counts days as S3 expires objects: from the midnight UTC after the day they were written, plus the days", () => {
    // Written on 28 February: expires at 31 March 00:00 after 30 days, so gone at 10:00 that day.
    expect(new Date(firstKeptDay(30, now)).toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(expiredHour(Date.parse("2026-02-28T23:00:00Z"), 30, now)).toBe(true);
    expect(expiredHour(Date.parse("2026-03-01T00:00:00Z"), 30, now)).toBe(false);
    // Written on the 29th with one day: expires at 31 March 00:00; on the 30th, at 1 April 00:00.
    expect(expiredHour(Date.parse("2026-03-29T23:00:00Z"), 1, now)).toBe(true);
    expect(expiredHour(Date.parse("2026-03-30T00:00:00Z"), 1, now)).toBe(false);
  });

  it("deletes the downloaded days the bucket has expired, and does not download them again while S3 still lists them", async () => {
    const bucket = "ownstats-retention";
    const { put, sync } = await bucketToSync(s3rver(), bucket);
    const keys = [
      "year=2026/month=02/day=27/hour=08/ownstats-direct-1-2026-02-27-08-00-00-a.gz",
      "year=2026/month=02/day=28/hour=23/ownstats-direct-1-2026-02-28-23-00-00-b.gz",
      "year=2026/month=03/day=01/hour=00/ownstats-direct-1-2026-03-01-00-00-00-c.gz",
      "year=2026/month=03/day=30/hour=09/ownstats-direct-1-2026-03-30-09-00-00-d.gz",
    ];
    for (const key of keys) await put(key, 100);
    const data = tempFolder("ownstats-sync-retention-");
    // A folder synced before without the option holds every day.
    expect(await sync(data)).toMatchObject({ downloaded: 4 });
    expect(existsSync(fullRefreshMarkPath(data))).toBe(false);

    const settings = {
      bucket,
      prefix: "raw/",
      data,
      client: s3rverClient(s3rver().endpoint),
      rawRetentionDays: 30,
      now,
    };
    const summary = await syncBucket(settings);
    expect(summary.expired).toEqual({
      retentionDays: 30,
      days: 2,
      files: 2,
      through: new Date("2026-02-28T00:00:00Z"),
    });
    expect(gzFiles(join(data, "raw"))).toEqual(keys.slice(2));
    // February's folder went with its last day.
    expect(readdirSync(join(data, "raw", "year=2026"))).toEqual(["month=03"]);
    expect(summary).toMatchObject({ listedExpired: 0, downloaded: 0 });
    expect(readFileSync(fullRefreshMarkPath(data), "utf8")).toMatch(
      /^2026-03-01T00:00:00\.000Z raw events before this hour were deleted, older than --raw-retention-days 30;/,
    );
    expect(syncReport(summary, data, `s3://${bucket}/raw/`, "raw/").join("\n")).toContain(
      `sync: deleted 2 raw objects of 2 days through 2026-02-28 from ${data}/raw/, older than --raw-retention-days 30`,
    );

    // s3rver has no lifecycle rules: the bucket still lists them, and a first sync leaves them there.
    const fresh = tempFolder("ownstats-sync-retention-first-");
    const first = await syncBucket({ ...settings, data: fresh });
    expect(first).toMatchObject({ listedExpired: 2, downloaded: 2, expired: { days: 0 } });
    expect(gzFiles(join(fresh, "raw"))).toEqual(keys.slice(2));
    expect(existsSync(fullRefreshMarkPath(fresh))).toBe(false);
    expect(syncReport(first, fresh, `s3://${bucket}/raw/`, "raw/").join("\n")).toContain(
      `sync: left 2 objects that s3://${bucket}/raw/ still lists in days older than --raw-retention-days 30`,
    );
  });

  it("takes the expired events out of the warehouse at the next whole build, which builds in full once", async () => {
    const data = tempData();
    await writeRaw(data, [
      ev({ session_id: "old", event_ts: clock("10:00") }),
      ev({ session_id: "kept", event_ts: clock("10:00", 2) }),
    ]);
    expect((await build(data)).code).toBe(0);
    const sessions = async () =>
      (await query<{ session_id: string }>(data, "select session_id from sessions order by 1")).map(
        (r) => r.session_id,
      );
    expect(await sessions()).toEqual(["kept", "old"]);

    // One day kept, on the 5th at noon: the bucket still holds the 4th, not the 2nd.
    const expired = await expireRawDays(data, 1, Date.parse(clock("12:00", 3)));
    expect(expired.days).toBe(1);
    const whole = await build(data);
    expect(whole.code, whole.output).toBe(0);
    expect(whole.output).toContain(
      "Building in full (--full-refresh): raw events before 2026-03-03T00:00:00.000Z were deleted, older than --raw-retention-days 1",
    );
    expect(await sessions()).toEqual(["kept"]);
    expect(existsSync(fullRefreshMarkPath(data))).toBe(false);
  });
});
