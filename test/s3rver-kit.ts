// s3rver for the tests of `ownstats sync`: in-process, in a temporary folder, on a random loopback port.
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

export interface TestS3 {
  endpoint: string;
  /** Where s3rver keeps the buckets' objects. */
  folder: string;
  close: () => Promise<void>;
}

export async function startS3rver(buckets: string[]): Promise<TestS3> {
  const folder = mkdtempSync(join(tmpdir(), "ownstats-s3rver-"));
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
