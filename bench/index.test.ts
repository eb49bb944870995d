// The benchmark runner against a folder of small benchmark modules written by the test.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMachine, discoverBenches, renderResults, runBenches } from "./index.ts";

const explode = 'throw new Error("this file is not a benchmark and must not be imported");\n';
const modules: Record<string, string> = {
  "alpha.ts": `export async function run() {
  return {
    bench: "alpha: sorting",
    figures: [
      { name: "sorted items/s", value: 2500, unit: "items/s",
        baseline: { name: "copy", value: 10000, unit: "items/s" }, ratio: 0.25, goal: "ratio ≥ 0.2", met: true },
      { name: "peak memory", value: 12.5, unit: "MB" },
    ],
    notes: ["a | pipe stays inside its cell"],
  };
}
`,
  "boom.ts": 'export async function run() { throw new Error("disk full"); }\n',
  "hang.ts": "export function run() { return new Promise(() => {}); }\n",
  "norun.ts": "export const value = 1;\n",
  "index.ts": explode,
  "results.ts": explode,
  "_helper.ts": explode,
  "alpha.test.ts": explode,
  "README.md": "not code\n",
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ownstats-bench-"));
  for (const [name, text] of Object.entries(modules)) await writeFile(path.join(dir, name), text);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("bench runner", () => {
  it("finds every benchmark but itself, the result shape, helpers and tests", async () => {
    const found = (await discoverBenches(dir)).map((f) => path.basename(f));
    expect(found).toEqual(["alpha.ts", "boom.ts", "hang.ts", "norun.ts"]);
  });

  it("runs each, reports failures and writes RESULTS.md", async () => {
    const log: string[] = [];
    const resultsFile = path.join(dir, "RESULTS.md");
    const outcomes = await runBenches({
      dir,
      resultsFile,
      timeoutMs: 300,
      log: (t) => log.push(t),
      now: new Date("2026-11-26T09:00:00.123Z"),
    });
    expect(outcomes.map((o) => [o.bench, o.ok])).toEqual([
      ["alpha", true],
      ["boom", false],
      ["hang", false],
      ["norun", false],
    ]);
    const errors = outcomes.flatMap((o) => (o.ok ? [] : [o.error]));
    expect(errors).toEqual([
      "disk full",
      "hang did not finish within 0.3 s",
      "norun.ts does not export a run() function",
    ]);
    expect(log.join("\n")).toContain(
      "sorted items/s: 2,500 items/s  baseline copy: 10,000 items/s  ratio 0.25",
    );

    const markdown = await readFile(resultsFile, "utf8");
    expect(markdown).toContain("on 2026-11-26T09:00:00Z");
    expect(markdown).toContain(`| cores | ${os.cpus().length} |`);
    expect(markdown).toContain(`| Node | ${process.version} |`);
    expect(markdown).toContain("4 benchmarks, 3 failed.");
    expect(markdown).toContain(
      "| sorted items/s | 2,500 items/s | 10,000 items/s (copy) | 0.25 | ratio ≥ 0.2 | met |",
    );
    expect(markdown).toContain("| peak memory | 12.5 MB | — | — |  |  |");
    expect(markdown).toContain("## boom: failed");
    expect(markdown).toContain("`disk full`");
    expect(markdown).toContain("- a | pipe stays inside its cell");
    expect(markdown).toContain("| load average (1 min) at start |");
    expect(markdown).not.toContain("Unfinished run");
  });

  it("runs only the named benchmarks and leaves RESULTS.md alone", async () => {
    const resultsFile = path.join(dir, "ONLY.md");
    const outcomes = await runBenches({ dir, resultsFile, only: ["alpha"], log: () => {} });
    expect(outcomes.map((o) => o.bench)).toEqual(["alpha"]);
    await expect(readFile(resultsFile)).rejects.toThrow(/ENOENT/);
    await expect(runBenches({ dir, only: ["nope"], log: () => {} })).rejects.toThrow(
      "no benchmark named nope",
    );
  });

  it("marks a file written mid-run as unfinished, naming what is still to run", () => {
    const markdown = renderResults(describeMachine(), new Date(0), [], ["build", "report"]);
    expect(markdown).toContain("**Unfinished run**: still to run when this was written: build, report.");
  });

  it("escapes pipes in table cells and names a failed bench's error", () => {
    const markdown = renderResults(describeMachine(), new Date(0), [
      { bench: "x", ok: false, error: "a|b", seconds: 1 },
    ]);
    expect(markdown).toContain("`a\\|b`");
    expect(markdown).toContain("1 benchmark, 1 failed.");
  });

  it("as a command, writes the file and exits 1 when a benchmark failed", async () => {
    const tsx = path.resolve("node_modules/.bin/tsx");
    const result = await promisify(execFile)(tsx, ["bench/index.ts", "alpha", "boom"], {
      env: { ...process.env, OWNSTATS_BENCH_DIR: dir },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("FAILED: disk full");
    await rm(path.join(dir, "RESULTS.md"), { force: true });
    const full = await promisify(execFile)(tsx, ["bench/index.ts"], {
      env: { ...process.env, OWNSTATS_BENCH_DIR: dir, OWNSTATS_BENCH_TIMEOUT_S: "0.3" },
    }).then(
      () => 0,
      (e: { code: number }) => e.code,
    );
    expect(full).toBe(1);
    expect(await readFile(path.join(dir, "RESULTS.md"), "utf8")).toContain("## alpha");
  });
});
