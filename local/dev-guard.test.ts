import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireDevLock, DevStartError, ensureWritable, lockPath, runningDev } from "./dev-guard.ts";
import { fileUnder } from "./dev-static.ts";

const temp = () => mkdtempSync(join(tmpdir(), "ownstats-guard-"));

describe("dev lock", () => {
  it("is held once, records the URL, and is released", () => {
    const data = temp();
    const lock = acquireDevLock(data);
    lock.update({ url: "http://127.0.0.1:8787" });
    expect(JSON.parse(readFileSync(lockPath(data), "utf8"))).toMatchObject({
      pid: process.pid,
      url: "http://127.0.0.1:8787",
    });
    expect(runningDev(data)).toEqual({ pid: process.pid, url: "http://127.0.0.1:8787" });
    expect(() => acquireDevLock(data)).toThrow(DevStartError);
    expect(() => acquireDevLock(data)).toThrow(
      /another ownstats dev \(pid \d+, http:\/\/127\.0\.0\.1:8787\) is using/,
    );
    lock.release();
    expect(existsSync(lockPath(data))).toBe(false);
    expect(runningDev(data)).toBeUndefined();
  });

  it("takes over a lock left by a process that is gone", () => {
    const data = temp();
    // Pid 2^22 + 1 is above Linux's pid_max: no such process can exist.
    writeFileSync(lockPath(data), JSON.stringify({ pid: 4_194_305 }));
    const lock = acquireDevLock(data);
    expect(JSON.parse(readFileSync(lockPath(data), "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("names a data folder that cannot be written", () => {
    const file = join(temp(), "plain-file");
    writeFileSync(file, "");
    expect(() => ensureWritable(file)).toThrow(/the data folder .*plain-file is not writable \(E\w+\)/);
  });
});

describe("static files", () => {
  it("stay under their folder", () => {
    expect(fileUnder("/srv/site", "/index.html")).toBe("/srv/site/index.html");
    expect(fileUnder("/srv/site", "/")).toBe("/srv/site/");
    for (const bad of ["/../dev.lock", "/%2e%2e/dev.lock", "/a/../../x", "/%00", "/%E0%A4%A"])
      expect(fileUnder("/srv/site", bad)).toBeUndefined();
  });
});
