// `npm run bench`: runs every benchmark in this folder one at a time, prints each result, and
// rewrites RESULTS.md with the machine, the date and every figure next to its same-run baseline.
// A benchmark that throws (or never settles) is written down as failed; the others still run.
import { readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BenchResult, type Figure, formatResult } from "./results.ts";

export type BenchOutcome =
  | { bench: string; ok: true; result: BenchResult; seconds: number }
  | { bench: string; ok: false; error: string; seconds: number };

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** The 1-minute load average when the run started: other work on the machine skews every figure. */
  load: number;
}

/** Files that are not benchmarks: this runner, the shared result shape, tests and helpers (`_x.ts`). */
const NOT_BENCHES = new Set(["index.ts", "results.ts"]);

export async function discoverBenches(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((n) => n.endsWith(".ts") && !n.endsWith(".test.ts") && !n.endsWith(".d.ts"))
    .filter((n) => !NOT_BENCHES.has(n) && !n.startsWith("_"))
    .sort()
    .map((n) => path.join(dir, n));
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() || "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    load: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runBench(file: string, timeoutMs: number): Promise<BenchOutcome> {
  const bench = path.basename(file, ".ts");
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  try {
    const mod = (await import(pathToFileURL(file).href)) as { run?: unknown };
    if (typeof mod.run !== "function") throw new Error(`${bench}.ts does not export a run() function`);
    const result = (await withTimeout(Promise.resolve(mod.run()), timeoutMs, bench)) as BenchResult;
    if (!result || !Array.isArray(result.figures))
      throw new Error(`${bench}.ts run() did not return { bench, figures }`);
    return { bench, ok: true, result, seconds: seconds() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { bench, ok: false, error: message, seconds: seconds() };
  }
}

export interface RunOptions {
  dir: string;
  /** Where RESULTS.md is written; nothing is written when undefined. */
  resultsFile?: string;
  /** Only these benchmarks (file names without .ts); RESULTS.md is then left alone. */
  only?: string[];
  timeoutMs?: number;
  log?: (text: string) => void;
  now?: Date;
}

export async function runBenches(options: RunOptions): Promise<BenchOutcome[]> {
  const log = options.log ?? console.log;
  let files = await discoverBenches(options.dir);
  if (options.only?.length) {
    const unknown = options.only.filter((name) => !files.some((f) => path.basename(f, ".ts") === name));
    if (unknown.length) throw new Error(`no benchmark named ${unknown.join(", ")} in ${options.dir}`);
    files = files.filter((f) => options.only?.includes(path.basename(f, ".ts")));
  }
  const outcomes: BenchOutcome[] = [];
  const machine = describeMachine();
  const date = options.now ?? new Date();
  // Written after every benchmark, so a run cut short still leaves what it measured, marked unfinished.
  const record = async (pending: string[]) => {
    if (!options.resultsFile || options.only?.length) return;
    await writeFile(options.resultsFile, renderResults(machine, date, outcomes, pending));
  };
  const names = files.map((f) => path.basename(f, ".ts"));
  for (const [index, file] of files.entries()) {
    log(`running ${path.basename(file)} …`);
    const outcome = await runBench(file, options.timeoutMs ?? 15 * 60_000);
    log(outcome.ok ? formatResult(outcome.result) : `${outcome.bench}\n  FAILED: ${outcome.error}`);
    outcomes.push(outcome);
    await record(names.slice(index + 1));
  }
  if (options.resultsFile && !options.only?.length)
    log(`wrote ${path.relative(process.cwd(), options.resultsFile) || options.resultsFile}`);
  return outcomes;
}

function number(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en-US") : String(Math.round(n * 1000) / 1000);
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function figureRow(f: Figure): string {
  const baseline = f.baseline ? `${number(f.baseline.value)} ${f.baseline.unit} (${f.baseline.name})` : "—";
  const met = f.met === undefined ? "" : f.met ? "met" : "**not met**";
  return `| ${cell(f.name)} | ${number(f.value)} ${cell(f.unit)} | ${cell(baseline)} | ${
    f.ratio === undefined ? "—" : number(f.ratio)
  } | ${cell(f.goal ?? "")} | ${met} |`;
}

export function renderResults(
  machine: Machine,
  date: Date,
  outcomes: BenchOutcome[],
  pending: string[] = [],
): string {
  const failed = outcomes.filter((o) => !o.ok).length;
  const lines = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` on ${date.toISOString().replace(/\.\d+Z$/, "Z")}. Every baseline is measured in the same run on the same machine; the ratio is read against it as each goal says.`,
    "",
    "| machine | |",
    "|---|---|",
    `| CPU | ${cell(machine.cpu)} |`,
    `| cores | ${machine.cores} |`,
    `| memory | ${machine.memoryGiB} GiB |`,
    `| Node | ${machine.node} |`,
    `| OS | ${cell(machine.os)} |`,
    `| load average (1 min) at start | ${machine.load} |`,
    "",
    `${outcomes.length} benchmark${outcomes.length === 1 ? "" : "s"}, ${failed} failed.`,
  ];
  if (pending.length)
    lines.push("", `**Unfinished run**: still to run when this was written: ${pending.join(", ")}.`);
  for (const outcome of outcomes) {
    lines.push("");
    if (!outcome.ok) {
      lines.push(`## ${outcome.bench}: failed`, "", `After ${outcome.seconds} s: \`${cell(outcome.error)}\``);
      continue;
    }
    const { result } = outcome;
    lines.push(`## ${outcome.bench}`, "", `${cell(result.bench)} (${outcome.seconds} s)`, "");
    lines.push("| figure | value | baseline | ratio | goal | |", "|---|---:|---:|---:|---|---|");
    for (const f of result.figures) lines.push(figureRow(f));
    if (result.notes?.length) lines.push("", ...result.notes.map((n) => `- ${n}`));
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dir = process.env.OWNSTATS_BENCH_DIR ?? here;
  const outcomes = await runBenches({
    dir,
    resultsFile: path.join(dir, "RESULTS.md"),
    only: process.argv.slice(2),
    timeoutMs: process.env.OWNSTATS_BENCH_TIMEOUT_S
      ? Number(process.env.OWNSTATS_BENCH_TIMEOUT_S) * 1000
      : undefined,
  });
  // A benchmark may leave a server or timer behind; the results are written, so leave now.
  process.exit(outcomes.some((o) => !o.ok) ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
