// `ownstats sync` against s3rver (in-process): full and incremental downloads, prefixes, objects
// outside the layout or deleted meanwhile, and the lock. Cut downloads: local-sync-resume.test.ts.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDemo } from "../local/demo.ts";
import { instanceOf } from "../local/lock-owner.ts";
import { syncBucket } from "../local/sync.ts";
import { syncLockPath } from "../local/sync-lock.ts";
import { syncReport } from "../local/sync-report.ts";
import {
  s3rverClient as clientFor,
  createBucket,
  gzFiles,
  lastSyncedKey,
  putWhole,
  startS3rver,
  type TestS3,
} from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";

const bucket = "ownstats-events";
let s3rver: TestS3;
let s3rverFolder: string;
let endpoint: string;
let source: string;

async function upload(client: S3Client, relative: string, body: Buffer): Promise<void> {
  await putWhole(client, bucket, `raw/${relative}`, body);
}

beforeAll(async () => {
  s3rver = await startS3rver([bucket]);
  ({ endpoint, folder: s3rverFolder } = s3rver);
  // The bucket holds what a deployed delivery would have written: demo objects by arrival hour.
  source = tempFolder("ownstats-sync-source-");
  await writeDemo({ data: source, visitors: 60, days: 2, seed: 3, now: "2026-02-10T00:00:00Z" });
  const client = clientFor(endpoint);
  for (const relative of gzFiles(join(source, "raw")))
    await upload(client, relative, readFileSync(join(source, "raw", relative)));
});

afterAll(async () => {
  await s3rver?.close();
});

describe("sync", () => {
  it("downloads every object, then only the new ones, keeping the layout", async () => {
    const data = tempFolder("ownstats-sync-");
    const expected = gzFiles(join(source, "raw"));
    const first = await syncBucket({ bucket, prefix: "raw/", data, client: clientFor(endpoint) });
    expect(first.downloaded).toBe(expected.length);
    // Into an empty folder: nothing lies behind what was there.
    expect(first.behindWarehouseFrom).toBeUndefined();
    expect(gzFiles(join(data, "raw"))).toEqual(expected);
    for (const relative of expected)
      expect(
        readFileSync(join(data, "raw", relative)).equals(readFileSync(join(source, "raw", relative))),
      ).toBe(true);
    expect(lastSyncedKey(data)).toBe(`raw/${expected.at(-1)}`);

    const again = await syncBucket({ bucket, prefix: "raw/", data, client: clientFor(endpoint) });
    expect(again).toMatchObject({ listed: 0, downloaded: 0 });

    // A later hour arrives in the bucket: only that object is fetched.
    const later = "year=2026/month=02/day=10/hour=00/ownstats-later.gz";
    await upload(clientFor(endpoint), later, randomBytes(5000));
    const third = await syncBucket({ bucket, prefix: "raw/", data, client: clientFor(endpoint) });
    expect(third).toMatchObject({ listed: 1, downloaded: 1, bytes: 5000 });
    expect(existsSync(join(data, "raw", later))).toBe(true);
  });

  it("records where it is when the folder already holds every object (a copy, or sync-state.json deleted), so the next run does not list the bucket from the start again", async () => {
    const put = await createBucket(s3rver, "ownstats-copied");
    const data = tempFolder("ownstats-sync-copied-");
    const keys = ["00", "01", "02"].map(
      (hour) => `year=2026/month=02/day=10/hour=${hour}/ownstats-direct-1-a.gz`,
    );
    for (const key of keys) {
      const body = randomBytes(100);
      await put(key, body);
      mkdirSync(join(data, "raw", key, ".."), { recursive: true });
      writeFileSync(join(data, "raw", key), body);
    }
    const summary = await syncBucket({
      bucket: "ownstats-copied",
      prefix: "raw/",
      data,
      client: clientFor(endpoint),
    });
    expect(summary).toMatchObject({ downloaded: 0, lastKey: `raw/${keys[2]}` });
    expect(lastSyncedKey(data)).toBe(`raw/${keys[2]}`);
  });

  it("says how far a first sync of many objects is once per 100 objects, not after every batch of downloads", async () => {
    const put = await createBucket(s3rver, "ownstats-many");
    const keys = Array.from({ length: 230 }, (_, i) => {
      const hour = String(Math.floor(i / 10)).padStart(2, "0");
      return `year=2026/month=02/day=10/hour=${hour}/ownstats-direct-1-${String(i).padStart(3, "0")}.gz`;
    });
    for (let i = 0; i < keys.length; i += 23)
      await Promise.all(keys.slice(i, i + 23).map((key) => put(key, 10)));
    const lines: string[] = [];
    const data = tempFolder("sync-many");
    const summary = await syncBucket({
      bucket: "ownstats-many",
      prefix: "raw/",
      data,
      client: clientFor(endpoint),
      concurrency: 10,
      log: (line) => lines.push(line),
    });
    expect(summary.downloaded).toBe(230);
    expect(lines).toEqual([10, 100, 200].map((count) => `synced ${count} objects (raw/${keys[count - 1]})`));
  });

  it("downloads a bucket longer than one listing page (S3 lists 1,000 keys at a time)", async () => {
    const put = await createBucket(s3rver, "ownstats-pages");
    // 1,010 hours: 42 days of one object an hour, as a quiet site's Firehose writes them.
    const keys = Array.from({ length: 1010 }, (_, i) => {
      const at = new Date(Date.UTC(2026, 1, 1) + i * 3_600_000).toISOString();
      const [year, month, day, hour] = [at.slice(0, 4), at.slice(5, 7), at.slice(8, 10), at.slice(11, 13)];
      return `year=${year}/month=${month}/day=${day}/hour=${hour}/ownstats-direct-1-${i}.gz`;
    });
    for (let i = 0; i < keys.length; i += 50)
      await Promise.all(keys.slice(i, i + 50).map((key) => put(key, 10)));
    const data = tempFolder("sync-pages");
    const client = clientFor(endpoint);
    const summary = await syncBucket({
      bucket: "ownstats-pages",
      prefix: "raw/",
      data,
      client,
      concurrency: 10,
    });
    expect(summary).toMatchObject({ listed: 1010, downloaded: 1010, lastKey: `raw/${keys.at(-1)}` });
    expect(gzFiles(join(data, "raw"))).toEqual([...keys].sort());

    const later = "year=2026/month=03/day=15/hour=03/ownstats-direct-1-later.gz";
    await put(later, 10);
    const again = await syncBucket({ bucket: "ownstats-pages", prefix: "raw/", data, client });
    expect(again).toMatchObject({ listed: 1, downloaded: 1, lastKey: `raw/${later}` });
  });

  it("keeps the year=/month=/day=/hour= layout when --prefix narrows the download to one day", async () => {
    const data = tempFolder("ownstats-sync-day-");
    const day = "year=2026/month=02/day=09/";
    const expected = gzFiles(join(source, "raw")).filter((relative) => relative.startsWith(day));
    expect(expected.length).toBeGreaterThan(5);
    const summary = await syncBucket({ bucket, prefix: `raw/${day}`, data, client: clientFor(endpoint) });
    expect(summary.downloaded).toBe(expected.length);
    expect(gzFiles(join(data, "raw"))).toEqual(expected);
  });

  it("leaves objects outside the hourly layout and Firehose's error output in S3 and counts them, so neither an empty --prefix nor one under errors/ fetches error records", async () => {
    const mixed = "ownstats-mixed";
    const client = clientFor(endpoint);
    await client.send(new CreateBucketCommand({ Bucket: mixed }));
    const put = (key: string) => putWhole(client, mixed, key, randomBytes(50));
    const event = "raw/year=2026/month=02/day=10/hour=12/ownstats-direct-1-a.gz";
    await put(event);
    await put("raw/notes.txt");
    await put("errors/processing-failed/year=2026/month=02/day=10/hour=12/ownstats-direct-1-b.gz");

    const data = tempFolder("ownstats-sync-mixed-");
    const everything = await syncBucket({ bucket: mixed, prefix: "", data, client });
    const failed = "errors/processing-failed/year=2026/month=02/day=10/hour=12/ownstats-direct-1-b.gz";
    expect(everything).toMatchObject({ downloaded: 0, skipped: 2, errorOutput: 1, firstErrorOutput: failed });
    expect(existsSync(join(data, "raw"))).toBe(false);
    // The error folder is in the hourly layout too: its records must not land among the events.
    const errors = await syncBucket({ bucket: mixed, prefix: "errors/processing-failed/", data, client });
    expect(errors).toMatchObject({ downloaded: 0, errorOutput: 1 });
    expect(syncReport(errors, data, "s3://ownstats-mixed/errors/processing-failed/", "errors/")).toContain(
      `sync: left 1 object under errors/, where Firehose writes the records it could not deliver: error reports, not events (the first: ${failed}); the events are under raw/ (--prefix raw/, the default)`,
    );
    expect(existsSync(join(data, "raw"))).toBe(false);

    const raw = await syncBucket({ bucket: mixed, prefix: "raw/", data, client });
    expect(raw).toMatchObject({ downloaded: 1, skipped: 1, firstSkipped: "raw/notes.txt" });
    expect(gzFiles(join(data, "raw"))).toEqual([event.slice("raw/".length)]);
  });

  it("says from which hour a sync into a folder holding later hours needs a full refresh to be read", async () => {
    // The folder already holds (say) demo data up to March; the bucket's hours are in February.
    const data = tempFolder("ownstats-sync-behind-");
    const newer = join(data, "raw", "year=2026", "month=03", "day=01", "hour=05");
    mkdirSync(newer, { recursive: true });
    writeFileSync(join(newer, "ownstats-demo.gz"), "");
    const summary = await syncBucket({ bucket, prefix: "raw/", data, client: clientFor(endpoint) });
    const earliest = gzFiles(join(source, "raw"))[0] as string;
    const [, year, month, day, hour] = /year=(\d+)\/month=(\d+)\/day=(\d+)\/hour=(\d+)/.exec(earliest) ?? [];
    expect(summary.behindWarehouseFrom?.toISOString()).toBe(`${year}-${month}-${day}T${hour}:00:00.000Z`);
  });

  it("goes on past an object the bucket's lifecycle rule deleted between the listing and its download", async () => {
    const expiring = "ownstats-expiring";
    const client = clientFor(endpoint);
    await client.send(new CreateBucketCommand({ Bucket: expiring }));
    const keys = ["00", "01", "02"].map(
      (hour) => `raw/year=2025/month=01/day=01/hour=${hour}/ownstats-direct-1-2025-01-01-${hour}-00-00-a.gz`,
    );
    for (const key of keys) await putWhole(client, expiring, key, randomBytes(100));
    const data = tempFolder("ownstats-sync-expired-");
    // Deleted the way S3 does it, behind the listing's back: once the first object is in place.
    const deleteFromS3 = (key: string) => {
      const name = key.split("/").at(-1) as string;
      for (const file of readdirSync(join(s3rverFolder, expiring), { recursive: true, encoding: "utf8" }))
        if (file.split("/").at(-1)?.startsWith(`${name}._S3rver_`))
          rmSync(join(s3rverFolder, expiring, file));
    };
    let deleted = false;
    const summary = await syncBucket({
      bucket: expiring,
      prefix: "raw/",
      data,
      client,
      concurrency: 1,
      log: () => {
        if (!deleted) deleteFromS3(keys[1] as string);
        deleted = true;
      },
    });
    expect(summary.downloaded).toBe(2);
    expect(summary.gone).toBe(1);
    expect(summary.firstGone).toBe(keys[1]);
    expect(gzFiles(join(data, "raw"))).toEqual([keys[0], keys[2]].map((key) => key?.slice("raw/".length)));
    expect(summary.lastKey).toBe(keys[2]);
  });

  it("refuses a second sync into a folder another sync is downloading into, and takes over a killed one's lock", async () => {
    const data = tempFolder("ownstats-sync-locked-");
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"], { stdio: "ignore" });
    try {
      const pid = other.pid as number;
      writeFileSync(syncLockPath(data), JSON.stringify({ pid, instance: instanceOf(pid) }));
      await expect(syncBucket({ bucket, prefix: "raw/", data, client: clientFor(endpoint) })).rejects.toThrow(
        `another ownstats sync (pid ${pid}) is downloading into ${data}; wait for it to finish`,
      );
      expect(gzFiles(join(data, "raw"))).toEqual([]);
    } finally {
      other.kill("SIGKILL");
      await new Promise((resolve) => other.once("exit", resolve));
    }
    const summary = await syncBucket({ bucket, prefix: "raw/", data, client: clientFor(endpoint) });
    expect(summary.downloaded).toBeGreaterThan(0);
    expect(existsSync(syncLockPath(data))).toBe(false);
  });
});
