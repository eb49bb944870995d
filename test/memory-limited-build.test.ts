// A full build on a machine with 1 GiB of memory (a small VPS, a container with a memory limit): DuckDB's
// default, 80 % of it, left too little room for the rest of the process and the kernel killed the build
// with no message. Run for real in a memory cgroup, where this machine lets a test make one.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ownstatsBin } from "./dev-server.ts";
import { tempFolder } from "./temp-folders.ts";

const GiB = 2 ** 30;

/** A memory cgroup of its own (v1 or v2) with `limit` bytes, or undefined where none can be made. */
function memoryCgroup(limit: number) {
  const name = `ownstats-test-${process.pid}`;
  const v1 = "/sys/fs/cgroup/memory";
  const v2 = "/sys/fs/cgroup";
  const v2HasMemory = () =>
    readFileSync(join(v2, "cgroup.subtree_control"), "utf8").split(/\s+/).includes("memory");
  try {
    if (existsSync(join(v1, "memory.limit_in_bytes"))) {
      const path = join(v1, name);
      mkdirSync(path, { recursive: true });
      writeFileSync(join(path, "memory.limit_in_bytes"), String(limit));
      const oomKills = () =>
        Number(/oom_kill (\d+)/.exec(readFileSync(join(path, "memory.oom_control"), "utf8"))?.[1]);
      return { path, oomKills };
    }
    if (existsSync(join(v2, "cgroup.subtree_control")) && v2HasMemory()) {
      const path = join(v2, name);
      mkdirSync(path, { recursive: true });
      writeFileSync(join(path, "memory.max"), String(limit));
      // Without swap accounting there is no such file; the limit holds all the same.
      if (existsSync(join(path, "memory.swap.max"))) writeFileSync(join(path, "memory.swap.max"), "0");
      const oomKills = () =>
        Number(/oom_kill (\d+)/.exec(readFileSync(join(path, "memory.events"), "utf8"))?.[1]);
      return { path, oomKills };
    }
  } catch {
    // Not root, or a read-only cgroup file system (most containers): no cgroup here.
  }
  return undefined;
}

const cgroup = process.platform === "linux" ? memoryCgroup(GiB) : undefined;
if (!cgroup) console.warn("SKIPPED: no memory cgroup can be made here, so the 1 GiB build is not run");

afterAll(() => {
  if (cgroup) rmdirSync(cgroup.path);
});

describe("a full build in 1 GiB of memory", () => {
  it.skipIf(!cgroup)(
    "builds 1 M events without the kernel killing it",
    () => {
      if (!cgroup) return;
      const data = tempFolder("ownstats-1gib-");
      const demo = spawnSync(
        process.execPath,
        [ownstatsBin, "demo", "--data", data, "--visitors", "80000", "--seed", "7"],
        { encoding: "utf8", env: { ...process.env, OWNSTATS_DEMO_NOW: "2026-03-01T00:00:00Z" } },
      );
      expect(demo.status, demo.stderr).toBe(0);
      // The build alone in the cgroup: the shell moves itself in, then becomes the build.
      const procs = join(cgroup.path, "cgroup.procs");
      const build = spawnSync(
        "sh",
        ["-c", `echo $$ > ${procs} && exec "$@"`, "sh", process.execPath, ownstatsBin, "run", "--data", data],
        { encoding: "utf8", timeout: 300_000 },
      );
      expect(cgroup.oomKills()).toBe(0);
      expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
      expect(build.stdout).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0/);
    },
    600_000,
  );
});

describe("OWNSTATS_MEMORY_LIMIT", () => {
  const run = (args: string[], limit: string) =>
    spawnSync(process.execPath, [ownstatsBin, ...args], {
      encoding: "utf8",
      env: { ...process.env, OWNSTATS_MEMORY_LIMIT: limit },
    });

  it("sets DuckDB's memory_limit, and a value that is not a size stops a command before it starts (exit 2)", () => {
    const data = tempFolder("ownstats-memory-limit-");
    expect(run(["run", "--data", data], "300MB").status).toBe(0);
    const set = run(
      ["query", "select current_setting('memory_limit') as m", "--data", data, "--format", "csv"],
      "300MB",
    );
    expect(set.stdout).toContain("286.1 MiB");
    for (const command of [["run"], ["query", "select 1"], ["dev", "--port", "0", "--no-demo"]]) {
      const refused = run([...command, "--data", data], "lots");
      expect(refused.status, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(
        `ownstats ${command[0]}: OWNSTATS_MEMORY_LIMIT must be a size such as 512MB or 2GiB (DuckDB's memory_limit), not "lots"`,
      );
    }
    // A command that never opens the warehouse does not care.
    expect(run(["ls", "--data", data], "lots").status).toBe(0);
  }, 60_000);
});
