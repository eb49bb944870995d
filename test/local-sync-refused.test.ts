// `ownstats sync` into a folder it may not write into: a read-only file system and a missing permission
// are named with their own way out, not the full disk's "free some space", which would not help.
// (A file size limit, the other such refusal, is in local-sync-errors.test.ts: prlimit sets it.)
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownstatsUnder } from "../cli-run.ts";
import { createBucket, s3rverForFile } from "./s3rver-kit.ts";
import { tempFolder } from "./temp-folders.ts";
import { fullAt, readOnlyAt, withoutRoot } from "./user-namespace.ts";

const s3rver = s3rverForFile();
const key = "year=2026/month=02/day=10/hour=12/ownstats-direct-1-a.gz";

const namespaces =
  process.platform === "linux" &&
  spawnSync("unshare", [...readOnlyAt("/mnt").slice(1), "true"]).status === 0 &&
  spawnSync("unshare", [...withoutRoot.slice(1), "true"]).status === 0;

describe("sync refused a write", () => {
  it.skipIf(!namespaces)(
    "names a read-only file system, a denied permission and a full disk with their way out, during a download or before it",
    async () => {
      await (await createBucket(s3rver(), "ownstats-refused"))(key, 1000);
      const sync = (wrapper: string[], data: string) =>
        ownstatsUnder(
          wrapper,
          { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" },
          ...["sync", "--bucket", "ownstats-refused", "--endpoint", s3rver().endpoint, "--data", data],
        );
      // The hour folder in place, refused when the object is written; or raw/ alone, refused when the
      // hour folder is made (the data folder itself is checked before sync starts).
      const said = async (
        wrapperFor: (folder: string) => string[],
        at: "hour" | "raw",
        roomHelps = false,
      ) => {
        const data = tempFolder("ownstats-sync-refused-");
        const hour = dirname(join(data, "raw", key));
        const folder = at === "hour" ? hour : join(data, "raw");
        mkdirSync(folder, { recursive: true });
        const result = await sync(wrapperFor(folder), data);
        chmodSync(folder, 0o755);
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        if (!roomHelps) expect(result.stderr).not.toContain("free some space");
        const line = result.stderr.split("\n").find((l) => l.startsWith("ownstats sync:")) ?? result.stderr;
        return { text: line.replace(/\.\w+\.part/, ".part"), data, hour };
      };
      const source = "ownstats sync: s3://ownstats-refused/raw/";

      const readOnlyHour = await said(readOnlyAt, "hour");
      expect(readOnlyHour.text).toBe(
        `${source}: cannot write ${readOnlyHour.hour}/ownstats-direct-1-a.gz.part: its file system is read-only (EROFS), after 0 of 1000 bytes of raw/${key}; mount its file system read-write, then run sync again to resume it`,
      );
      const deniedHour = await said((folder) => (chmodSync(folder, 0o555), withoutRoot), "hour");
      expect(deniedHour.text).toBe(
        `${source}: cannot write ${deniedHour.hour}/ownstats-direct-1-a.gz.part: permission is denied (EACCES), after 0 of 1000 bytes of raw/${key}; let the user running ownstats write into ${deniedHour.hour}, then run sync again to resume it`,
      );
      // A refusal that room cures, named as such.
      const fullHour = await said(fullAt, "hour", true);
      expect(fullHour.text).toBe(
        `${source}: cannot write ${fullHour.hour}/ownstats-direct-1-a.gz.part: its disk is full (ENOSPC), after 0 of 1000 bytes of raw/${key}; free some space, then run sync again to resume it`,
      );
      const readOnlyRaw = await said(readOnlyAt, "raw");
      expect(readOnlyRaw.text).toBe(
        `${source}: cannot write ${join(readOnlyRaw.data, "raw", "year=2026")}: its file system is read-only (EROFS); mount its file system read-write, or choose another --data`,
      );
      const deniedRaw = await said((folder) => (chmodSync(folder, 0o555), withoutRoot), "raw");
      expect(deniedRaw.text).toBe(
        `${source}: cannot write ${join(deniedRaw.data, "raw", "year=2026")}: permission is denied (EACCES); let the user running ownstats write into ${join(deniedRaw.data, "raw")}, or choose another --data`,
      );
    },
    60_000,
  );
});
