import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isRunning, ownerOf, thisProcess } from "./lock-owner.ts";

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
});
