// Rendering the static reports once the models are built on about 1 M demo events: every page's
// render (queries, charts, templates, Parquet exports, writes) against the bare time of running the
// same pages' queries, and the size of the site without the SQL playground's engine files.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeDemo } from "../local/demo.ts";
import { buildSite } from "../reports/index.ts";
import type { PageInput } from "../reports/page.ts";
import { pages } from "../reports/pages/all.ts";
import { reportPeriod } from "../reports/period.ts";
import { engineBytes, engineFolder } from "../reports/playground.ts";
import { runProject } from "../runner/index.ts";
import { openWarehouse } from "../runner/warehouse.ts";
import { type BenchResult, runIfMain } from "./results.ts";

const models = fileURLToPath(new URL("../models", import.meta.url));
const repo = fileURLToPath(new URL("..", import.meta.url));
const root = process.env.OWNSTATS_BENCH_DATA ?? join(tmpdir(), "ownstats-bench-report");
// About 1 M events over 56 days with the demo's behaviour (the same settings as the build bench).
const demo = { visitors: 59_000, days: 56, seed: 7, now: "2026-03-01T00:00:00Z" };
const days = 28;
const rounds = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function ensureBuilt(data: string): Promise<number> {
  const marker = join(data, "bench-report.json");
  const wanted = JSON.stringify(demo);
  if (!(existsSync(marker) && readFileSync(marker, "utf8") === wanted)) {
    rmSync(data, { recursive: true, force: true });
    await writeDemo({ data, ...demo });
    const code = await runProject("run", { data, models, fullRefresh: true, log: () => undefined });
    if (code !== 0) throw new Error(`the models did not build on the demo data (see ${data}/target)`);
    writeFileSync(marker, wanted);
  }
  const warehouse = await openWarehouse(data);
  const [row] = await warehouse.all("SELECT count(*) AS n FROM stg_events");
  warehouse.close();
  return Number(row?.n ?? 0);
}

/** The lower bound: only the SQL every page declares, on the same warehouse, nothing rendered. */
async function queriesOnly(data: string): Promise<number> {
  const warehouse = await openWarehouse(data);
  try {
    const [row] = await warehouse.all("SELECT max(event_ts) AS latest FROM stg_events");
    const latest = typeof row?.latest === "string" ? row.latest : null;
    const input: PageInput = { period: reportPeriod(days, latest), data, builtAt: "", latest };
    // Each distinct query once, as the renderer runs a query shared by two pages once.
    const distinct = new Set(pages.flatMap((page) => Object.values(page.queries(input))));
    const started = performance.now();
    for (const sql of distinct) await warehouse.all(sql);
    return (performance.now() - started) / 1000;
  } finally {
    warehouse.close();
  }
}

/** Runs `ownstats report` as a user would and reads the time it prints for the render itself. */
function coldReport(data: string): number {
  const result = spawnSync(process.execPath, [join(repo, "bin", "ownstats.js"), "report", "--data", data], {
    encoding: "utf8",
  });
  const ms = result.stdout.match(/ in (\d+) ms/)?.[1];
  if (result.status !== 0 || !ms)
    throw new Error(`ownstats report failed: ${result.stderr || result.stdout}`);
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
  const events = await ensureBuilt(data);
  rmSync(join(data, "site"), { recursive: true, force: true });
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
  const cold = coldReport(data);
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
      `median of ${rounds} renders after a first one of ${firstSeconds.toFixed(2)} s (the first copies the engine into the site and bundles its module)`,
    ],
  };
}

await runIfMain(import.meta.url, run);
