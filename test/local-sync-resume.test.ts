// `ownstats sync` against s3rver (in-process): a download cut off halfway through by the network is
// resumed by the next run with a Range request, unless the object has been replaced meanwhile.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { syncBucket } from "../local/sync.ts";
import { partialPath } from "../local/sync-download.ts";
import { s3Proxy } from "./s3-proxy-kit.ts";
import { createBucket, lastSyncedKey, s3rverClient, s3rverForFile } from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";

const s3rver = s3rverForFile();

/** A new bucket holding one small object in hour 00, and a function that puts one under raw/. */
async function bucketOf(name: string) {
  const put = await createBucket(s3rver(), name);
  await put("year=2026/month=02/day=10/hour=00/ownstats-small.gz", 100);
  return put;
}

/** The partial files left in the object's folder. */
const partials = (target: string) =>
  existsSync(dirname(target)) ? readdirSync(dirname(target)).filter((file) => file.endsWith(".part")) : [];

const big = "year=2026/month=02/day=10/hour=01/ownstats-big.gz";

/** A first run through a proxy that cuts the big object's download halfway: what it left. */
async function cutDownload(bucket: string, data: string, proxyUrl: string) {
  await expect(
    syncBucket({ bucket, prefix: "raw/", data, client: s3rverClient(proxyUrl), concurrency: 1 }),
  ).rejects.toThrow(
    /^download of raw\/year=2026\/month=02\/day=10\/hour=01\/ownstats-big\.gz stopped after \d+ of 3000000 bytes \(.+\); run sync again to resume it$/,
  );
  const target = join(data, "raw", big);
  expect(existsSync(target)).toBe(false);
  const [partial] = partials(target);
  const kept = statSync(join(dirname(target), partial as string)).size;
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(3_000_000);
  return { target, kept };
}

describe("sync of a cut download", () => {
  it("resumes a download the network cut off, fetching only the missing bytes", async () => {
    const bucket = "ownstats-cut";
    const put = await bucketOf(bucket);
    const body = randomBytes(3_000_000);
    await put(big, body);
    const proxy = await cuttingProxy(s3rver().endpoint, "ownstats-big.gz");
    try {
      const data = tempFolder("ownstats-sync-cut-");
      const { target, kept } = await cutDownload(bucket, data, proxy.url);
      // Everything before the cut object is in place and recorded; the cut object is not.
      expect((lastSyncedKey(data) as string) < `raw/${big}`).toBe(true);

      const resumed = await syncBucket({ bucket, prefix: "raw/", data, client: s3rverClient(proxy.url) });
      expect(resumed.resumed).toBe(1);
      // Buffer#equals: vitest's deep equality walks a 3 MB buffer byte by byte, slowly.
      expect(readFileSync(target).equals(body)).toBe(true);
      expect(partials(target)).toEqual([]);
      expect(proxy.ranges).toEqual([`bytes=${kept}-`]);
    } finally {
      proxy.server.close();
    }
  });

  it("downloads afresh an object replaced under the same key since its download was cut, instead of joining two versions", async () => {
    const bucket = "ownstats-replaced";
    const put = await bucketOf(bucket);
    await put(big, randomBytes(3_000_000));
    const proxy = await cuttingProxy(s3rver().endpoint, "ownstats-big.gz");
    try {
      const data = tempFolder("ownstats-sync-replaced-");
      const { target } = await cutDownload(bucket, data, proxy.url);
      // Uploaded again, corrected, at the same size: a resumed download would be right in size only.
      const replacement = randomBytes(3_000_000);
      await put(big, replacement);
      const next = await syncBucket({ bucket, prefix: "raw/", data, client: s3rverClient(proxy.url) });
      expect(next).toMatchObject({ downloaded: 1, resumed: 0 });
      expect(readFileSync(target).equals(replacement)).toBe(true);
      expect(partials(target)).toEqual([]);
    } finally {
      proxy.server.close();
    }
  });

  it("gives up a download S3 went silent in, instead of waiting for ever, and the next run resumes it", async () => {
    const bucket = "ownstats-silent";
    const put = await bucketOf(bucket);
    const body = randomBytes(3_000_000);
    await put(big, body);
    const proxy = await cuttingProxy(s3rver().endpoint, "ownstats-big.gz", true);
    const saved = { ...process.env };
    try {
      // The client sync makes itself, as the command does: a test's own client has no timeouts.
      Object.assign(process.env, {
        AWS_ACCESS_KEY_ID: "S3RVER",
        AWS_SECRET_ACCESS_KEY: "S3RVER",
        AWS_REGION: "us-east-1",
      });
      const data = tempFolder("sync-silent");
      // Shortened from S3_SILENCE_SECONDS, which the command uses.
      const sync = () =>
        syncBucket({ bucket, prefix: "raw/", data, endpoint: proxy.url, concurrency: 1, silenceMs: 1_000 });
      await expect(sync()).rejects.toThrow(
        /^download of raw\/year=2026\/month=02\/day=10\/hour=01\/ownstats-big\.gz stopped after \d+ of 3000000 bytes \(.*inactivity.*\); run sync again to resume it$/,
      );
      expect((await sync()).resumed).toBe(1);
      expect(readFileSync(join(data, "raw", big)).equals(body)).toBe(true);
    } finally {
      process.env = saved;
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  });

  it("downloads again an object whose leftover partial file is larger than the object, instead of failing on every run", async () => {
    // Two syncs run at once into one folder both append to the same partial file.
    const bucket = "ownstats-overlong";
    const put = await bucketOf(bucket);
    const data = tempFolder("ownstats-sync-overlong-");
    const original = randomBytes(2000);
    const relative = "year=2026/month=02/day=10/hour=02/ownstats-c.gz";
    await put(relative, original);
    const target = join(data, "raw", relative);
    mkdirSync(dirname(target), { recursive: true });
    // s3rver's ETag is the body's MD5, as S3's is for an object put in one piece.
    const etag = `"${createHash("md5").update(original).digest("hex")}"`;
    writeFileSync(partialPath(target, etag), Buffer.concat([original, original]));
    await syncBucket({ bucket, prefix: "raw/", data, client: s3rverClient(s3rver().endpoint) });
    expect(readFileSync(target).equals(original)).toBe(true);
    expect(partials(target)).toEqual([]);
  });
});

/**
 * Forwards to s3rver, but the first full GET of `victim` is cut after half its body: the connection
 * closed, or with `silent`, left open with nothing more sent.
 */
async function cuttingProxy(target: string, victim: string, silent = false) {
  const ranges: string[] = [];
  let cut = false;
  const proxy = await s3Proxy(target, (req, answer, res) => {
    const isVictim = req.method === "GET" && req.url?.includes(victim);
    if (isVictim && req.headers.range) ranges.push(req.headers.range);
    if (!isVictim || cut || req.headers.range) return void answer.pipe(res);
    cut = true;
    const half = Number(answer.headers["content-length"]) / 2;
    let sent = 0;
    answer.on("data", (chunk: Buffer) => {
      if (sent >= half) return;
      res.write(chunk);
      sent += chunk.length;
      if (sent >= half && !silent) setTimeout(() => res.socket?.destroy(), 200);
    });
  });
  return { ...proxy, ranges };
}
