import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { tempFolder } from "../test/temp-folders.ts";
import { isRunning, ownerOf, takeLockFile, thisProcess, UNTOUCHED_STALE_MS } from "./lock-owner.ts";
import { takeLock } from "./spool-lock.ts";

const hasProc = existsSync("/proc/self/stat") && existsSync("/proc/sys/kernel/random/boot_id");

describe("lock owner", () => {
  it("is this process while it runs", () => {
    expect(isRunning(thisProcess())).toBe(true);
    // A lock written without /proc, or by an older version, holds the pid alone.
    expect(isRunning({ pid: process.pid })).toBe(true);
  });

  it.skipIf(!hasProc)(
    "is not a live process that only has the same pid (after a reboot, or a later process)",
    () => {
      const me = thisProcess();
      const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
      expect(me.instance).toMatch(new RegExp(`^${boot}/\\d+$`));
      const ticks = Number(me.instance?.split("/")[1]);
      expect(isRunning({ pid: process.pid, instance: `00000000-0000-0000-0000-000000000000/${ticks}` })).toBe(
        false,
      );
      expect(isRunning({ pid: process.pid, instance: `${boot}/${ticks + 1}` })).toBe(false);
    },
  );

  it("reads the lock's JSON, a bare pid included", () => {
    expect(ownerOf(1234)).toEqual({ pid: 1234 });
    expect(ownerOf({ pid: 1234, instance: "b/5", url: "x" })).toEqual({ pid: 1234, instance: "b/5" });
    for (const bad of [null, "1234", 0, -3, 1.5, { pid: "1234" }, {}]) expect(ownerOf(bad)).toBeUndefined();
  });

  it("holds the host name beside the pid, and reads a lock without one as before", () => {
    expect(thisProcess().host).toBe(hostname());
    expect(ownerOf({ pid: 1234, host: "box-2" })).toEqual({ pid: 1234, host: "box-2" });
    expect(ownerOf({ pid: 1234, host: 7 })).toEqual({ pid: 1234 });
  });

  it("counts a lock of another host as held, though a process here has its pid: that host's processes cannot be checked", () => {
    // Two containers sharing the data folder both run as pid 1, each with its own host name.
    const other = { ...thisProcess(), host: `not-${hostname()}`, instance: "other-boot/1" };
    expect(isRunning(other)).toBe(true);
    expect(isRunning({ ...other, pid: 999_999_999 })).toBe(true);
    expect(isRunning({ ...thisProcess(), instance: "other-boot/1" })).toBe(false);
    const dir = tempFolder("ownstats-lock-");
    writeFileSync(join(dir, "spool.lock"), JSON.stringify(other));
    // Not taken as this process's own lock either, though the pid is the same.
    expect(() => takeLock(dir)).toThrow(
      `another ownstats process (pid ${process.pid} on host not-${hostname()}) is collecting into ${dir}`,
    );
    expect(JSON.parse(readFileSync(join(dir, "spool.lock"), "utf8"))).toEqual(other);
  });

  it("takes over a lock of another host left untouched for two minutes: its holder, while it runs, touches it", () => {
    const dir = tempFolder("ownstats-lock-");
    const path = join(dir, "spool.lock");
    // A container killed for good, and started again as a new one (a new host name), as pid 1.
    writeFileSync(path, JSON.stringify({ pid: 1, host: `gone-${hostname()}`, instance: "other-boot/1" }));
    const twoMinutesAgo = new Date(Date.now() - UNTOUCHED_STALE_MS - 1_000);
    utimesSync(path, twoMinutesAgo, twoMinutesAgo);
    expect(isRunning({ pid: 1, host: `gone-${hostname()}`, touchedAt: twoMinutesAgo.getTime() })).toBe(false);
    expect(isRunning({ pid: 1, host: `gone-${hostname()}`, touchedAt: Date.now() })).toBe(true);
    takeLock(dir);
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ pid: process.pid, host: hostname() });
  });

  it("keeps touching the lock it holds, and stops once it no longer holds it", () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    try {
      const dir = tempFolder("ownstats-lock-");
      const path = join(dir, "sync.lock");
      takeLockFile(path, { busy: () => new Error("busy"), raced: "raced" });
      const past = new Date(Date.now() - 60_000);
      utimesSync(path, past, past);
      vi.advanceTimersByTime(30_000);
      expect(statSync(path).mtimeMs).toBeGreaterThan(past.getTime() + 30_000);
      // Another process's lock now: not touched for it.
      writeFileSync(path, JSON.stringify({ pid: 999_999_999, host: `other-${hostname()}` }));
      utimesSync(path, past, past);
      vi.advanceTimersByTime(30_000);
      // The file system keeps the time to its own precision: untouched is within a second of it.
      expect(statSync(path).mtimeMs).toBeLessThan(past.getTime() + 1_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("names a folder or named pipe where the lock file must be, instead of failing on it or blocking", () => {
    const dir = tempFolder("ownstats-lock-");
    const take = (path: string) => takeLockFile(path, { busy: () => new Error("busy"), raced: "raced" });
    const folder = join(dir, "sync.lock");
    mkdirSync(join(folder, "notes"), { recursive: true });
    expect(() => take(folder)).toThrow(
      `${folder} is a folder, but it must be the lock file that names the process using it; move it away`,
    );
    expect(existsSync(join(folder, "notes"))).toBe(true);
    const pipe = join(dir, "other.lock");
    if (spawnSync("mkfifo", [pipe]).status === 0)
      expect(() => take(pipe)).toThrow(`${pipe} is a named pipe (FIFO), but it must be the lock file`);
  });
});
