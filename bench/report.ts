// Rendering the static reports once the models are built on about 1 M demo events: every page's
// render (queries, charts, templates, Parquet exports, writes) against the bare time of running the
// same pages' queries, and the size of the site without the SQL playground's engine files.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSite, pageInput } from "../reports/index.ts";
import { pages } from "../reports/pages/all.ts";
import { engineBytes, engineFolder } from "../reports/playground.ts";
import { openWarehouse } from "../runner/warehouse.ts";
import { type BenchResult, runIfMain } from "./results.ts";

const models = fileURLToPath(new URL("../models", import.meta.url));
const repo = fileURLToPath(new URL("..", import.meta.url));
const root = process.env.OWNSTATS_BENCH_DATA ?? join(tmpdir(), "ownstats-bench-report");
// About 1 M events over 56 days with the demo's behaviour (the same settings as the build bench).
const demo = { visitors: 81_000, days: 56, seed: 7, now: "2026-03-01T00:00:00Z" };
const days = 28;
const rounds = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * Demo data, written once and kept between runs (the marker records the settings), and the models
 * brought up to date on it each run: a model added or changed since the last run is built before the
 * pages read it. In child processes: DuckDB lets one process hold the file, and the cold figure needs
 * a fresh process.
 */
function ensureBuilt(data: string): void {
  const marker = join(data, "bench-report.json");
  const wanted = JSON.stringify(demo);
  if (existsSync(marker) && readFileSync(marker, "utf8") === wanted) {
    ownstats(["run", "--data", data, "--models", models], { ...process.env, OWNSTATS_DEMO_NOW: demo.now });
    return;
  }
  rmSync(data, { recursive: true, force: true });
  const env = { ...process.env, OWNSTATS_DEMO_NOW: demo.now };
  const demoArgs = [
    "--visitors",
    String(demo.visitors),
    "--days",
    String(demo.days),
    "--seed",
    String(demo.seed),
  ];
  ownstats(["demo", "--data", data, ...demoArgs], env);
  ownstats(["run", "--data", data, "--models", models, "--full-refresh"], env);
  writeFileSync(marker, wanted);
}

function ownstats(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(process.execPath, [join(repo, "bin", "ownstats.js"), ...args], {
    encoding: "utf8",
    env,
  });
  if (result.status !== 0) throw new Error(`ownstats ${args[0]} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

async function countEvents(data: string): Promise<number> {
  const warehouse = await openWarehouse(data);
  const [row] = await warehouse.all("SELECT count(*) AS n FROM stg_events");
  warehouse.close();
  return Number(row?.n ?? 0);
}

/** The lower bound: only the SQL every page declares, on the same warehouse, nothing rendered. */
async function queriesOnly(data: string): Promise<number> {
  const warehouse = await openWarehouse(data);
  try {
    const input = await pageInput(warehouse, { data, days });
    // Each distinct query once, as the renderer runs a query shared by two pages once.
    const distinct = new Set(pages.flatMap((page) => Object.values(page.queries(input))));
    const started = performance.now();
    for (const sql of distinct) await warehouse.all(sql);
    return (performance.now() - started) / 1000;
  } finally {
    warehouse.close();
  }
}

/**
 * Runs `ownstats <step>` as a user would and reads the time it prints for the render itself. A build
 * whose data tests warn or fail still renders; only the render's line matters here.
 */
function renderTimeOf(step: "report" | "build", data: string): number {
  const args = [
    join(repo, "bin", "ownstats.js"),
    step,
    "--data",
    data,
    ...(step === "build" ? ["--models", models] : []),
  ];
  const result = spawnSync(process.execPath, args, { encoding: "utf8" });
  const ms = result.stdout.match(/report: wrote .* in (\d+) ms/)?.[1];
  if (!ms) throw new Error(`ownstats ${step} printed no render time: ${result.stderr || result.stdout}`);
  return Number(ms) / 1000;
}

function folderBytes(folder: string, skip: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) total += entry.name === skip ? 0 : folderBytes(path, skip);
    else total += statSync(path).size;
  }
  return total;
}

export async function run(): Promise<BenchResult> {
  const data = join(root, "1m");
  ensureBuilt(data);
  rmSync(join(data, "site"), { recursive: true, force: true });
  ownstats(["report", "--data", data]); // copies the engine into the site, so the cold run measures the render
  const cold = renderTimeOf("report", data);
  const inBuild = renderTimeOf("build", data);
  const events = await countEvents(data);
  const first = performance.now();
  await buildSite({ data, days });
  const firstSeconds = (performance.now() - first) / 1000;
  const renders: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < rounds; i++) {
    bare.push(await queriesOnly(data));
    const started = performance.now();
    await buildSite({ data, days });
    renders.push((performance.now() - started) / 1000);
  }
  const render = median(renders);
  const baseline = median(bare);
  const site = join(data, "site");
  const siteBytes = folderBytes(site, engineFolder);
  return {
    bench: "report",
    figures: [
      {
        name: `render every page (${events.toLocaleString("en-US")} events, ${days}-day period)`,
        value: render,
        unit: "s",
        baseline: { name: "the pages' queries alone", value: baseline, unit: "s" },
        ratio: render / baseline,
        goal: "≤ 2 s",
        met: render <= 2,
      },
      {
        name: "render inside `ownstats build` (models just run, nothing new: warm DuckDB, cold JIT)",
        value: inBuild,
        unit: "s",
        baseline: { name: "the same render in a warm process", value: render, unit: "s" },
        ratio: inBuild / render,
      },
      {
        name: "`ownstats report` in a new process (cold DuckDB cache and JIT; the render's own timing)",
        value: cold,
        unit: "s",
        baseline: { name: "the same render in a warm process", value: render, unit: "s" },
        ratio: cold / render,
      },
      {
        name: "site size without the playground's engine files",
        value: siteBytes / 1024,
        unit: "KiB",
        baseline: {
          name: "engine files (DuckDB-WASM, copied once)",
          value: engineBytes(site) / 1024,
          unit: "KiB",
        },
        ratio: siteBytes / engineBytes(site),
        goal: "< 1 MB",
        met: siteBytes < 1_000_000,
      },
    ],
    notes: [
      `median of ${rounds} renders after a first in-process one of ${firstSeconds.toFixed(2)} s (cold JIT, warm DuckDB file cache)`,
    ],
  };
}

await runIfMain(import.meta.url, run);
