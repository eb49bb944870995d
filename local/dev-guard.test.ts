import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { acquireDevLock, DevStartError, ensureWritable, lockPath, runningDev } from "./dev-guard.ts";
import { fileUnder } from "./dev-static.ts";

const temp = () => tempFolder("ownstats-guard-");

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

  it("names a folder that stands where the lock file must be, and leaves it alone", () => {
    const data = temp();
    mkdirSync(join(lockPath(data), "notes"), { recursive: true });
    expect(() => acquireDevLock(data)).toThrow(DevStartError);
    expect(() => acquireDevLock(data)).toThrow(
      `${lockPath(data)} is a folder, but ownstats dev keeps its lock file there`,
    );
    expect(existsSync(join(lockPath(data), "notes"))).toBe(true);
  });

  it("takes over a lock left by a process that is gone", () => {
    const data = temp();
    // Pid 2^22 + 1 is above Linux's pid_max: no such process can exist.
    writeFileSync(lockPath(data), JSON.stringify({ pid: 4_194_305 }));
    const lock = acquireDevLock(data);
    expect(JSON.parse(readFileSync(lockPath(data), "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("leaves a lock of another host alone, naming the host: its process cannot be checked from here", () => {
    const data = temp();
    // A container sharing the data folder, whose dev server runs as pid 1 of its own.
    const other = {
      pid: 1,
      instance: "other-boot/1",
      host: `not-${hostname()}`,
      url: "http://10.0.0.2:8787",
    };
    writeFileSync(lockPath(data), JSON.stringify(other));
    expect(() => acquireDevLock(data)).toThrow(
      `another ownstats dev (pid 1 on host not-${hostname()}, http://10.0.0.2:8787) is using`,
    );
    expect(JSON.parse(readFileSync(lockPath(data), "utf8"))).toEqual(other);
  });

  it.skipIf(!existsSync("/proc/sys/kernel/random/boot_id"))(
    "takes over a lock whose pid now belongs to another process, as after a reboot",
    () => {
      const data = temp();
      const earlierBoot = { pid: process.ppid, instance: "00000000-0000-0000-0000-000000000000/4242" };
      writeFileSync(lockPath(data), JSON.stringify({ ...earlierBoot, url: "http://127.0.0.1:8787" }));
      expect(runningDev(data)).toBeUndefined();
      const lock = acquireDevLock(data);
      expect(JSON.parse(readFileSync(lockPath(data), "utf8")).pid).toBe(process.pid);
      lock.release();
    },
  );

  it("names a data folder that is a file, or sits under one", () => {
    const file = join(temp(), "plain-file");
    writeFileSync(file, "");
    expect(() => ensureWritable(file)).toThrow(
      `the data folder ${file} is a file, not a folder; choose another with --data`,
    );
    expect(() => ensureWritable(join(file, "data"))).toThrow(
      `the data folder ${join(file, "data")} cannot be made: ${file} is a file, not a folder; choose another with --data`,
    );
  });

  it("names a link to nowhere (an unmounted drive) that the data folder lies under, not a bare ENOENT", () => {
    const root = temp();
    const link = join(root, "usb");
    symlinkSync(join(root, "media", "usb-drive"), link);
    for (const data of [link, join(link, "stats")])
      expect(() => ensureWritable(data)).toThrow(
        `the data folder ${data} cannot be made: ${link} is a link to ${join(root, "media", "usb-drive")}, which does not exist (ENOENT); choose another with --data`,
      );
  });

  it("names a file that stands where raw/, spool/, site/ or target/ must be a folder", () => {
    for (const name of ["raw", "spool", "site", "target"] as const) {
      const data = temp();
      writeFileSync(join(data, name), "");
      expect(() => ensureWritable(data, [name])).toThrow(DevStartError);
      expect(() => ensureWritable(data, [name])).toThrow(
        new RegExp(
          `^${join(data, name)} is a file, but it must be the folder that holds .*; move the file away or choose another --data$`,
        ),
      );
      // A command that does not write there is not stopped by it.
      expect(() => ensureWritable(data)).not.toThrow();
    }
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
