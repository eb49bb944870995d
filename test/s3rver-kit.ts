// s3rver for the tests of `ownstats sync`: in-process, in a temporary folder, on a random loopback port.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll } from "vitest";
import { syncBucket } from "../local/sync.ts";
import { tempFolder } from "./temp-folders.ts";

export interface TestS3 {
  endpoint: string;
  /** Where s3rver keeps the buckets' objects. */
  folder: string;
  close: () => Promise<void>;
}

export async function startS3rver(buckets: string[]): Promise<TestS3> {
  const folder = tempFolder("ownstats-s3rver-");
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: folder,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const address = await server.run();
  return { endpoint: `http://127.0.0.1:${address.port}`, folder, close: () => server.close() };
}

/** Starts s3rver before the file's tests and closes it after them; the function returned gives it. */
export function s3rverForFile(buckets: string[] = []): () => TestS3 {
  let s3: TestS3 | undefined;
  beforeAll(async () => {
    s3 = await startS3rver(buckets);
  });
  afterAll(async () => {
    await s3?.close();
  });
  return () => {
    if (!s3) throw new Error("s3rver has not started");
    return s3;
  };
}

/** The last key sync-state.json records in `data`, for the one source synced into it. */
export function lastSyncedKey(data: string): string | undefined {
  const sources = Object.values(JSON.parse(readFileSync(join(data, "sync-state.json"), "utf8")));
  if (sources.length !== 1) throw new Error(`${data} holds the state of ${sources.length} sources`);
  return (sources[0] as { last_key?: string }).last_key;
}

/** Creates a bucket; the function returned puts a body (or that many random bytes) under raw/ in it. */
export async function createBucket(s3: TestS3, name: string) {
  const client = s3rverClient(s3.endpoint);
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return (key: string, body: Buffer | number) =>
    putWhole(client, name, `raw/${key}`, typeof body === "number" ? randomBytes(body) : body);
}

/**
 * Puts an object and waits until s3rver holds all of it. s3rver answers a PUT once it has read the
 * body, before its write of the object's file has finished, so a listing or download right after can
 * see the object short (a 10-byte object listed as 0 bytes, on a loaded machine).
 */
export async function putWhole(client: S3Client, bucket: string, key: string, body: Buffer | string) {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  const size = Buffer.byteLength(body);
  for (let waited = 0; ; waited += 10) {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if (head.ContentLength === size) return;
    if (waited >= 10_000)
      throw new Error(`s3rver holds ${head.ContentLength} of the ${size} bytes put at ${key} after 10 s`);
    await sleep(10);
  }
}

/** A new bucket, a function that puts an object under raw/ in it, and its sync (one download at a time). */
export async function bucketToSync(s3: TestS3, name: string) {
  const put = await createBucket(s3, name);
  const client = s3rverClient(s3.endpoint);
  const sync = (data: string) => syncBucket({ bucket: name, prefix: "raw/", data, client, concurrency: 1 });
  return { put, sync };
}

/** A client of the S3 server at `url`, signing with the keys s3rver accepts. */
export const s3rverClient = (url: string) =>
  new S3Client({
    endpoint: url,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });

/** The .gz files under `root`, as paths relative to it, sorted. */
export function gzFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".gz"))
    .sort();
}
