// `collect` and `dev` name a data folder the file system will not take writes into (a file size
// limit, a read-only mount, a full disk) with the way out, and exit 2 before they start.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ownstatsUnder } from "./cli-run.ts";
import { tempFolder } from "./test/temp-folders.ts";
import { fullAt, readOnlyAt } from "./test/user-namespace.ts";

describe("ownstats command, on a file system that refuses writes", () => {
  // prlimit makes every write of a byte fail (EFBIG), while the empty file of the writable check still
  // passes: the limit is named with how to raise it, since freeing space would not help.
  it.skipIf(process.platform !== "linux" || spawnSync("prlimit", ["--version"]).status !== 0)(
    "dev names a file size limit (ulimit -f) that lets no byte into the data folder, and exits 2 before it starts",
    () => {
      const data = tempFolder("ownstats-cli-");
      const bin = new URL("./bin/ownstats.js", import.meta.url).pathname;
      const result = spawnSync(
        "prlimit",
        ["--fsize=0", process.execPath, bin, "dev", "--port", "0", "--no-demo", "--data", data],
        { encoding: "utf8", timeout: 20_000 },
      );
      expect(result.stderr).toContain(
        `ownstats dev: cannot write into the data folder ${data}: a file size limit (ulimit -f) is reached (EFBIG); raise the limit (ulimit -f unlimited in the shell that starts ownstats), or choose another --data`,
      );
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.status).toBe(2);
    },
  );

  // A user namespace lets any user mount a read-only file system for the command alone.
  const canMountReadOnly =
    process.platform === "linux" &&
    spawnSync("unshare", [...readOnlyAt("/mnt").slice(1), "true"]).status === 0;
  it.skipIf(!canMountReadOnly)(
    "collect names a data folder on a read-only file system, and the folder it could not be made in",
    () => {
      const mountPoint = tempFolder("ownstats-ro-");
      const bin = new URL("./bin/ownstats.js", import.meta.url).pathname;
      const collectOnReadOnly = (data: string) =>
        spawnSync(
          "unshare",
          [
            ...readOnlyAt(mountPoint).slice(1),
            process.execPath,
            bin,
            "collect",
            "--port",
            "0",
            "--data",
            data,
          ],
          { encoding: "utf8", timeout: 20_000, env: { ...process.env, SINK: "" } },
        );
      const existing = collectOnReadOnly(mountPoint);
      expect(existing.stderr).toContain(
        `ownstats collect: the data folder ${mountPoint} cannot be written: its file system is read-only (EROFS); choose another with --data`,
      );
      expect(existing.status).toBe(2);
      const data = join(mountPoint, "stats", "data");
      const toMake = collectOnReadOnly(data);
      expect(toMake.stderr).toContain(
        `ownstats collect: the data folder ${data} cannot be made in ${mountPoint}: its file system is read-only (EROFS); choose another with --data`,
      );
      expect(toMake.status).toBe(2);
      expect(toMake.stdout).not.toContain("listening");
    },
  );

  it.skipIf(!canMountReadOnly)("dev names a full disk, with freeing space as the way out", () => {
    const mountPoint = tempFolder("ownstats-full-");
    const bin = new URL("./bin/ownstats.js", import.meta.url).pathname;
    const result = spawnSync(
      "unshare",
      [
        ...fullAt(mountPoint).slice(1),
        process.execPath,
        bin,
        "dev",
        "--port",
        "0",
        "--no-demo",
        "--data",
        mountPoint,
      ],
      { encoding: "utf8", timeout: 20_000 },
    );
    expect(result.stderr).toContain(
      `ownstats dev: cannot write into the data folder ${mountPoint}: its disk is full (ENOSPC); free some space or fix it, or choose another --data`,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.status).toBe(2);
  });

  it.skipIf(!canMountReadOnly)(
    "build and compile name a read-only or full data folder with the way out, in one line",
    async () => {
      const readOnly = tempFolder("ownstats-ro-");
      const data = join(readOnly, "data");
      for (const command of ["build", "compile"]) {
        const result = await ownstatsUnder(readOnlyAt(readOnly), {}, command, "--data", data);
        expect(result.stderr.trim(), command).toBe(
          `ownstats ${command}: the data folder ${data} cannot be made in ${readOnly}: its file system is read-only (EROFS); choose another with --data`,
        );
        expect(result.code, command).toBe(2);
      }
      const full = tempFolder("ownstats-full-");
      const result = await ownstatsUnder(fullAt(full), {}, "build", "--data", full);
      expect(result.stderr.trim()).toBe(
        `ownstats build: cannot write ${join(full, "warehouse.duckdb")}: its disk is full (ENOSPC); free some space or fix it, or choose another --data`,
      );
      expect(result.code).toBe(1);
    },
  );

  // The compiled queries are the first files a compile writes: Node's error for a refused write names
  // none, where the line should say which one the disk took no more of.
  it.skipIf(!canMountReadOnly)("compile names the compiled query the full disk refused", async () => {
    const full = tempFolder("ownstats-full-");
    const result = await ownstatsUnder(fullAt(full), {}, "compile", "--data", full);
    const line = result.stderr.trim();
    expect(line.startsWith(`ownstats compile: cannot write ${join(full, "target", "compiled")}/`), line).toBe(
      true,
    );
    expect(line).toMatch(
      /\.sql: its disk is full \(ENOSPC\); free some space or fix it, or choose another --data$/,
    );
    expect(result.code).toBe(1);
  });
});
