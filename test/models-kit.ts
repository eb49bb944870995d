// Builds the shipped models (models/) through the runner on small hand-written event sets, written as
// raw gzip NDJSON objects by arrival hour exactly as the delivery writes them.
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeRawObject } from "../local/raw-object.ts";
import { readRunResults, runProject } from "../runner/index.ts";
import { openWarehouse, type Row } from "../runner/warehouse.ts";
import { tempFolder } from "./temp-folders.ts";

export const modelsDir = resolve(fileURLToPath(new URL("../models", import.meta.url)));

export type RawEvent = Record<string, unknown>;

/** A Monday, so that days and ISO weeks in the tests are easy to read. */
export const day0 = Date.parse("2026-03-02T00:00:00Z");

/** ISO time `minutes` after day0 (Monday 2026-03-02 00:00 UTC). */
export function at(minutes: number): string {
  return new Date(day0 + minutes * 60_000).toISOString();
}

/** `hh:mm` on Monday 2026-03-02 plus `days`. */
export function clock(time: string, days = 0): string {
  const [h, m] = time.split(":").map(Number) as [number, number];
  return at(days * 1440 + h * 60 + m);
}

/** A stored event record with everything a test does not care about filled in. */
export function ev(fields: RawEvent): RawEvent {
  const eventTs = (fields.event_ts as string | undefined) ?? at(0);
  const record: RawEvent = {
    event_id: randomUUID(),
    event_type: "page_view",
    session_id: "session-a",
    visitor_id: "visitor-a",
    event_ts: eventTs,
    ingest_ts: new Date(Date.parse(eventTs) + 1000).toISOString(),
    site: "example.com",
    page_path: "/",
    browser: "Chrome",
    browser_version: 120,
    os: "Linux",
    device_type: "desktop",
    is_bot: false,
    country: "DE",
    schema_version: 1,
    ...fields,
  };
  // Absent optional fields are omitted in storage, as the collector does.
  for (const [key, value] of Object.entries(record)) if (value === undefined) delete record[key];
  return record;
}

/** A new data folder, removed after the current test file. */
export function tempData(): string {
  return tempFolder("ownstats-models-");
}

/** Writes events into objects by the UTC hour of their ingest_ts. */
export async function writeRaw(data: string, events: RawEvent[]): Promise<void> {
  const byHour = new Map<number, string[]>();
  for (const e of events) {
    const hour = Math.floor(Date.parse(String(e.ingest_ts)) / 3_600_000) * 3_600_000;
    const lines = byHour.get(hour) ?? [];
    lines.push(JSON.stringify(e));
    byHour.set(hour, lines);
  }
  for (const [hour, lines] of byHour) await writeRawObject(data, lines, new Date(hour));
}

export interface Built {
  data: string;
  code: number;
  output: string;
}

/** `ownstats build` minus the reports: runs the models and their data tests. */
export async function build(
  data: string,
  opts: {
    vars?: Record<string, unknown>;
    fullRefresh?: boolean;
    step?: "build" | "run";
    select?: string[];
  } = {},
): Promise<Built> {
  const lines: string[] = [];
  const code = await runProject(opts.step ?? "build", {
    data,
    models: modelsDir,
    fullRefresh: opts.fullRefresh ?? false,
    vars: opts.vars,
    select: opts.select,
    log: (line) => lines.push(line),
  });
  return { data, code, output: lines.join("\n") };
}

/** Writes the events to a fresh data folder and builds; fails loudly with the runner's output. */
export async function buildWith(events: RawEvent[], vars?: Record<string, unknown>): Promise<Built> {
  const data = tempData();
  await writeRaw(data, events);
  const built = await build(data, { vars });
  if (built.code !== 0) throw new Error(`the build failed:\n${built.output}`);
  return built;
}

/**
 * The same raw events built two ways: `stepwise` runs after each batch lands, `whole` once over all
 * of them. An incremental model is exact when every table comes out the same.
 */
export async function stepwiseAndWhole(
  batches: RawEvent[][],
  vars?: Record<string, unknown>,
): Promise<{ stepwise: string; whole: string }> {
  const stepwise = tempData();
  for (const batch of batches) {
    await writeRaw(stepwise, batch);
    const built = await build(stepwise, { step: "run", vars });
    if (built.code !== 0) throw new Error(`a stepwise run failed:\n${built.output}`);
  }
  const whole = tempData();
  await writeRaw(whole, batches.flat());
  const built = await build(whole, { step: "run", vars });
  if (built.code !== 0) throw new Error(`the whole build failed:\n${built.output}`);
  return { stepwise, whole };
}

/**
 * `first` built, then `second` landed and built by a run of the `select`ed models alone and then by a
 * run of all of them (`stepwise`), against one build of both (`whole`): a model that reads an input
 * the selection left unbuilt must catch up with it in the next run.
 */
export async function selectedRunAndWhole(
  first: RawEvent[],
  second: RawEvent[],
  select: string[],
): Promise<{ stepwise: string; whole: string }> {
  const stepwise = tempData();
  const runs: [RawEvent[], string[] | undefined][] = [
    [first, undefined],
    [second, select],
    [[], undefined],
  ];
  for (const [events, selection] of runs) {
    await writeRaw(stepwise, events);
    const built = await build(stepwise, { step: "run", select: selection });
    if (built.code !== 0) throw new Error(`a stepwise run failed:\n${built.output}`);
  }
  const whole = tempData();
  await writeRaw(whole, [...first, ...second]);
  const built = await build(whole, { step: "run" });
  if (built.code !== 0) throw new Error(`the whole build failed:\n${built.output}`);
  return { stepwise, whole };
}

export async function query<T extends Row = Row>(data: string, sql: string): Promise<T[]> {
  const wh = await openWarehouse(data);
  try {
    return await wh.all<T>(sql);
  } finally {
    wh.close();
  }
}

/** The last run's result for one model of the project. */
export const resultOf = (data: string, model: string) =>
  readRunResults(data)?.results.find((r) => r.unique_id === `model.ownstats.${model}`);
