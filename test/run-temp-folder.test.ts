import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import setup, { createRunFolder, sweepAbandonedRunFolders } from "./run-temp-folder.ts";

describe("the test run's temp folder", () => {
  it("holds the temp folders of every test and of the processes it starts", () => {
    expect(basename(tmpdir())).toMatch(/^ownstats-test-run-\d+-\w{6}$/);
    const child = spawnSync(process.execPath, ["-e", "console.log(require('node:os').tmpdir())"], {
      encoding: "utf8",
    });
    expect(child.stdout.trim()).toBe(tmpdir());
  });

  it("is made and pointed at by setup, and removed by its teardown", () => {
    const outer = process.env.TMPDIR;
    const parent = tmpdir();
    const teardown = setup();
    const folder = process.env.TMPDIR as string;
    try {
      expect(folder.startsWith(join(parent, "ownstats-test-run-"))).toBe(true);
      expect(existsSync(folder)).toBe(true);
    } finally {
      // tmpdir() reads TMPDIR: set it back before anything else here makes a folder.
      teardown();
    }
    expect(process.env.TMPDIR).toBe(outer);
    expect(existsSync(folder)).toBe(false);
  });

  it("sweeps the folders of runs whose process is gone, and keeps those of running ones", () => {
    const parent = mkdtempSync(join(tmpdir(), "sweep-"));
    try {
      const running = basename(createRunFolder(parent));
      const endedPid = spawnSync(process.execPath, ["-e", ""]).pid;
      mkdirSync(join(parent, `ownstats-test-run-${endedPid}-AbC123`, "left", "behind"), { recursive: true });
      mkdirSync(join(parent, "ownstats-dev-AbC123"));
      sweepAbandonedRunFolders(parent);
      expect(readdirSync(parent).sort()).toEqual(["ownstats-dev-AbC123", running]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
