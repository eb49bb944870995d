// Helpers for the runner's tests: small model projects and raw event files in temp folders.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { tempFolder } from "../test/temp-folders.ts";
import { type ListOptions, list, type RunnerOptions, runProject } from "./index.ts";
import { renderTemplate } from "./template.ts";

export const eventsSource = `
sources:
  events:
    path: raw
    format: ndjson
    columns: { event_id: VARCHAR, event_type: VARCHAR, session_id: VARCHAR, event_ts: VARCHAR, ingest_ts: VARCHAR, page_path: VARCHAR, scroll_pct: INTEGER, props: JSON }
    partitions: { year: INTEGER, month: INTEGER, day: INTEGER, hour: INTEGER }
    lookback_hours: 1
`;

export interface TempProject {
  root: string;
  models: string;
  data: string;
}

/** A temp folder with models/ (project.yml + the given files) and data/. */
export function tempProject(files: Record<string, string>, projectYml?: string): TempProject {
  const root = tempFolder("ownstats-runner-");
  const models = join(root, "models");
  const data = join(root, "data");
  mkdirSync(data, { recursive: true });
  writeFiles(models, {
    "project.yml":
      projectYml ?? `name: demo\nvars:\n  conversion_events: [cta_click]\n  min_scroll: 50\n${eventsSource}`,
    ...files,
  });
  return { root, models, data };
}

/** schema.yml with one model's column and the lines of its tests (indented under the column). */
export const columnTests = (model: string, column: string, tests: string[]) =>
  ["models:", `  - name: ${model}`, "    columns:", `      - name: ${column}`, ...tests].join("\n");

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

/** Hour h of 1 March 2026 (UTC), the day the incremental tests' events fall on. */
export const hourAt = (h: number) => new Date(Date.UTC(2026, 2, 1, h));
/** h:m on 1 March 2026 (UTC), as an ISO time. */
export const iso = (h: number, m: number) => new Date(Date.UTC(2026, 2, 1, h, m)).toISOString();

export function partitionDir(data: string, hour: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return join(
    data,
    "raw",
    `year=${hour.getUTCFullYear()}`,
    `month=${p(hour.getUTCMonth() + 1)}`,
    `day=${p(hour.getUTCDate())}`,
    `hour=${p(hour.getUTCHours())}`,
  );
}

/** Writes events into the hour partition of their ingest time, as the delivery does. */
export function writeEvents(
  data: string,
  hour: Date,
  events: Record<string, unknown>[],
  file = "part-0.gz",
): string {
  const dir = partitionDir(data, hour);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, gzipSync(events.map((e) => JSON.stringify(e)).join("\n") + "\n"));
  return path;
}

export function event(id: string, at: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: id,
    event_type: "page_view",
    session_id: `s-${id}`,
    event_ts: at,
    ingest_ts: at,
    page_path: "/",
    ...extra,
  };
}

export async function run(
  step: "build" | "run" | "test",
  p: TempProject,
  extra: Partial<RunnerOptions> = {},
): Promise<{ code: number; lines: string[]; output: string }> {
  const lines: string[] = [];
  const code = await runProject(step, {
    data: p.data,
    models: p.models,
    fullRefresh: false,
    log: (l) => lines.push(l),
    ...extra,
  });
  return { code, lines, output: lines.join("\n") };
}

/**
 * The order a run took its nodes in, from its console lines: the models it built (name), those it
 * skipped (`skip name`) and the tests it ran.
 */
export const runOrder = (lines: string[]) =>
  lines.flatMap((l) => {
    const m =
      /^\d+ of \d+ (?:START sql \w+ model main\.(\w+)|START test (\w+)|SKIP relation main\.(\w+))/.exec(l);
    return m ? [m[1] ?? m[2] ?? `skip ${m[3]}`] : [];
  });

/** `ownstats ls` on a project: its exit code, the names it printed, and its errors and warnings. */
export function listNodes(p: TempProject, opts: Partial<ListOptions> = {}) {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = list({ ...p, ...opts, log: (l) => lines.push(l), errorLog: (l) => errors.push(l) });
  return { code, lines, errors };
}

/**
 * Runs `ownstats <args>` as a user does and presses Ctrl-C (SIGINT) once its output shows `startLine`;
 * the exit code and everything it printed.
 */
export async function interruptAt(
  args: string[],
  startLine: string,
): Promise<{ code: number | null; output: string }> {
  const bin = fileURLToPath(new URL("../bin/ownstats.js", import.meta.url));
  const child = spawn(process.execPath, [bin, ...args]);
  let output = "";
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  try {
    await Promise.race([
      exited,
      new Promise<void>((started) =>
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes(startLine)) started();
        }),
      ),
    ]);
    child.kill("SIGINT");
    return { code: await exited, output };
  } finally {
    child.kill("SIGKILL");
  }
}

/** An incremental stg model merging by event_id, reading an hour back from its ingest_ts watermark. */
export const incrementalStg = [
  '{{config materialized="incremental" unique_key="event_id" watermark="ingest_ts"}}',
  "select event_id, page_path, ingest_ts::TIMESTAMPTZ::TIMESTAMP as ingest_ts, hour",
  'from {{source "events"}}',
  "{{#if is_incremental}}",
  "where ingest_ts::TIMESTAMPTZ::TIMESTAMP > (select max(ingest_ts) - interval 1 hour from {{self}})",
  "{{/if}}",
  "qualify row_number() over (partition by event_id order by ingest_ts desc) = 1",
].join("\n");

/** Renders a model's text as the runner does for a model `me`, with one known source, `events`. */
export const renderModelText = (text: string, vars: Record<string, unknown> = {}, isIncremental = false) =>
  renderTemplate({
    text,
    vars,
    isIncremental,
    self: 'main."me"',
    relationOf: (m) => `main."${m}"`,
    knownSources: new Set(["events"]),
  });

/**
 * Opens the warehouse of `data` in another process, as a running build or `ownstats dev` holds it,
 * until `release()`.
 */
export async function holdWarehouse(data: string): Promise<{ release(): void }> {
  const warehouseModule = new URL("./warehouse.ts", import.meta.url).href;
  const holder = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `const { openWarehouse } = await import(${JSON.stringify(warehouseModule)});
       await openWarehouse(${JSON.stringify(data)});
       console.log("held");
       process.stdin.on("end", () => process.exit(0)).resume();`,
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  await new Promise<void>((held) => holder.stdout.once("data", () => held()));
  return { release: () => holder.kill() };
}
