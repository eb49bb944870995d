// `ownstats sync` run as a user runs it, against s3rver (in-process): what it says about its prefix.
import { beforeAll, describe, expect, it } from "vitest";
import { ownstatsWith } from "../cli-run.ts";
import { createBucket, lastSyncedKey, putWhole, s3rverClient, s3rverForFile } from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";

const bucket = "ownstats-command";
const s3rver = s3rverForFile();

beforeAll(async () => {
  const put = await createBucket(s3rver(), bucket);
  await put("year=2026/month=02/day=10/hour=12/a.gz", Buffer.from("x"));
});

const sync = (prefix: string, data = tempFolder("ownstats-sync-command-")) =>
  ownstatsWith(
    { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" },
    "sync",
    "--bucket",
    bucket,
    "--prefix",
    prefix,
    "--endpoint",
    s3rver().endpoint,
    "--data",
    data,
  );

describe("ownstats sync", () => {
  it("says a prefix that holds no object is either before the first delivery or the wrong folder, instead of only '0 new objects'", async () => {
    for (const prefix of ["/raw/", "Raw/", "raw/year=2026/month=2/"]) {
      const result = await sync(prefix);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(
        `sync: s3://${bucket}/${prefix} holds no objects: either nothing has been delivered yet, or --prefix is not the folder the delivery writes to (raw/, the default; keys are case-sensitive${prefix.startsWith("/") ? " and do not start with /" : ""})`,
      );
    }
    const right = await sync("raw/");
    expect(right.stdout).not.toContain("holds no objects");
  }, 60_000);

  it("prints nothing on stderr when it worked, not the AWS SDK's warning that its later releases need Node 22", async () => {
    const result = await sync("raw/");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  }, 30_000);

  it("counts one object in the singular ('1 new object', not '1 new objects')", async () => {
    const result = await sync("raw/");
    expect(result.stdout).toContain("synced 1 object (raw/year=2026/month=02/day=10/hour=12/a.gz)\n");
    expect(result.stdout).toContain(`sync: 1 new object (0.0 MB) from s3://${bucket}/raw/ into `);
  }, 30_000);

  it("takes a --prefix without its trailing slash as the folder it names: raw is raw/, not also raw-old/, and keeps one place for both", async () => {
    const client = s3rverClient(s3rver().endpoint);
    await putWhole(client, bucket, "raw-old/year=2025/month=01/day=01/hour=00/b.gz", "y");
    const data = tempFolder("ownstats-sync-command-");
    expect((await sync("raw/", data)).code).toBe(0);
    const bare = await sync("raw", data);
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toContain(`sync: 0 new objects (0.0 MB) from s3://${bucket}/raw/ into `);
    expect(bare.stdout).not.toContain("left 1 object");
    expect(lastSyncedKey(data)).toBe("raw/year=2026/month=02/day=10/hour=12/a.gz");
  }, 30_000);

  it("names a --prefix given as an S3 URL, and exits 2, instead of saying the prefix holds no objects", async () => {
    const result = await sync(`s3://${bucket}/raw/`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--prefix takes the key prefix alone (raw/), not a URL; the bucket goes in --bucket",
    );
    expect(result.stdout).not.toContain("holds no objects");
  }, 30_000);
});
