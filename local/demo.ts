// `ownstats demo`: realistic synthetic raw events, written into raw/ in the delivery's layout.
// Deterministic: the same seed and the same anchor hour give the same events in the same partitions.
import { rm } from "node:fs/promises";
import { chunk } from "../functions/collect/sink.ts";
import { Random } from "./demo-random.ts";
import { writeSession } from "./demo-sessions.ts";
import { openDemoStaging, publishDemoStaging } from "./demo-staging.ts";
import { planVisits } from "./demo-visitors.ts";
import { writeRawObject } from "./raw-object.ts";

const HOUR = 3_600_000;
/** gzip runs on libuv's thread pool; this many objects compress while the next hours are generated. */
const MAX_IN_FLIGHT = 4;
/**
 * The most NDJSON one object holds. A busy hour of a large demo (the launch spike of a million
 * visitors is about 150 MB) goes out in several objects, as Firehose writes a busy hour in several,
 * so that a small machine never holds the whole hour in memory, let alone twice.
 */
const MAX_OBJECT_CHARS = 32 * 1024 * 1024;
/** How far ahead of this machine's clock OWNSTATS_DEMO_NOW may be. */
const FUTURE_SLACK_MS = HOUR;

/** An event's arrival time and its NDJSON line. */
type Entry = [number, string];
/** The events of an hour not written yet, and whether the hour has an object already. */
interface Bucket {
  entries: Entry[];
  chars: number;
  /** At this many characters the bucket writes what it can (its events that arrived before now). */
  flushAt: number;
  written: boolean;
}

export interface DemoSettings {
  data: string;
  visitors: number;
  days: number;
  seed: number;
  /** The end of the period; defaults to OWNSTATS_DEMO_NOW, else the start of the current hour. */
  now?: Date | string;
  /** Stops the writing; the objects already written are removed again (see {@link DemoStopped}). */
  signal?: AbortSignal;
  /** The most NDJSON characters an object holds; a busy hour is written in several. @default MAX_OBJECT_CHARS */
  maxObjectChars?: number;
}

/** The demo was stopped (or failed) part-way and removed the objects it had written. */
export class DemoStopped extends Error {
  constructor(readonly removed: number) {
    super(`stopped; the ${removed} objects already written were removed, so the data folder is as it was`);
  }
}

export interface DemoSummary {
  events: number;
  sessions: number;
  visitors: number;
  objects: number;
  bytes: number;
  botEvents: number;
  from: string;
  to: string;
  spike: { start: string; end: string };
  seconds: number;
}

// A date, or a date and time with its zone: a time without one is read in the machine's zone, and
// Date.parse also takes forms such as "1" (the year 2001), so the same setting could give other data.
const ISO_ANCHOR = /^(\d{4})-(\d\d)-(\d\d)(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d))?$/i;

/** Whether the month has the day: Date.parse reads 2026-02-30 as 2026-03-02. */
function dayExists(year: number, month: number, day: number): boolean {
  return day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The anchor hour: explicit, then OWNSTATS_DEMO_NOW (empty is unset), then now — always floored to the hour. */
export function demoAnchor(now?: Date | string): number {
  const fromEnv = now === undefined ? process.env.OWNSTATS_DEMO_NOW || undefined : undefined;
  const given = now ?? fromEnv;
  const ms = given === undefined ? Date.now() : new Date(given).getTime();
  const parts = typeof given === "string" ? ISO_ANCHOR.exec(given) : undefined;
  if (
    Number.isNaN(ms) ||
    parts === null ||
    (parts !== undefined && !dayExists(Number(parts[1]), Number(parts[2]), Number(parts[3])))
  )
    throw new Error(
      `${fromEnv === undefined ? `the demo's "now"` : "OWNSTATS_DEMO_NOW"} must be an ISO-8601 time with its zone ` +
        `(2026-03-01T00:00:00Z) or a date (2026-03-01, UTC), got "${String(given)}"`,
    );
  // A later anchor writes events that arrive in the future: raw/ gets hours that have not come yet, and
  // the builds' watermarks run ahead of the events that really arrive. An hour ahead is taken, for a
  // time copied from a machine whose clock runs a little ahead of this one.
  if (fromEnv !== undefined && ms > Date.now() + FUTURE_SLACK_MS)
    throw new Error(
      `OWNSTATS_DEMO_NOW is later than the current time (${new Date().toISOString()}), got "${fromEnv}": ` +
        "give a time that has passed, or unset it to end the demo at the start of this hour",
    );
  return ms - (ms % HOUR);
}

export async function writeDemo(settings: DemoSettings): Promise<DemoSummary> {
  const started = performance.now();
  const now = demoAnchor(settings.now);
  const random = new Random(settings.seed);
  const plan = planVisits(random, settings.visitors, settings.days, now);
  const sessionCount = plan.sessions.length;

  // Hour partitions fill as sessions are written in start order. A session never emits before its
  // start, so every hour that ends before the next session's start is complete and can be written,
  // and so are the events of the hour still filling that arrived before that start.
  const buckets = new Map<number, Bucket>();
  const inFlight = new Set<Promise<unknown>>();
  let events = 0;
  let botEvents = 0;
  let objects = 0;
  let bytes = 0;
  let failure: unknown;
  // Part of a demo would look like a finished one to the next `demo` and to `dev`, which then write
  // none: a run stopped or failed part-way takes its objects away again, and one killed never moved
  // them into raw/ (see demo-staging.ts).
  let written = 0;
  const staging = await openDemoStaging(settings.data);
  const maxObjectChars = settings.maxObjectChars ?? MAX_OBJECT_CHARS;

  const writeObject = async (lines: string[], arrival: Date): Promise<void> => {
    for (const line of lines) bytes += line.length + 1;
    objects++;
    const write: Promise<unknown> = writeRawObject(staging, lines, arrival)
      .then(() => written++)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
    if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    if (failure) throw failure;
  };
  /**
   * Writes the bucket's events that arrived before `time` (all of them for Infinity), in arrival
   * order, in objects of at most maxObjectChars; the hour's first object is named after the hour,
   * a later one after its first event's arrival.
   */
  const writeBucket = async (hour: number, bucket: Bucket, time: number): Promise<void> => {
    bucket.entries.sort((a, b) => a[0] - b[0]);
    let end = bucket.entries.length;
    while (end > 0 && (bucket.entries[end - 1] as Entry)[0] >= time) end--;
    const ready = bucket.entries.slice(0, end);
    bucket.entries = bucket.entries.slice(end);
    bucket.chars = bucket.entries.reduce((sum, [, line]) => sum + line.length + 1, 0);
    // What stays arrived later than `time`: tried again once an object's worth more has come.
    bucket.flushAt = bucket.chars + maxObjectChars;
    const parts = chunk(ready, ([, line]) => line.length + 1, Number.POSITIVE_INFINITY, maxObjectChars);
    for (const part of parts) {
      await writeObject(
        part.map(([, line]) => line),
        new Date(bucket.written ? (part[0] as Entry)[0] : hour),
      );
      bucket.written = true;
    }
  };
  const flushBefore = async (time: number): Promise<void> => {
    const done = [...buckets.keys()].filter((hour) => hour + HOUR <= time).sort((a, b) => a - b);
    for (const hour of done) {
      const bucket = buckets.get(hour) as Bucket;
      buckets.delete(hour);
      await writeBucket(hour, bucket, Number.POSITIVE_INFINITY);
    }
    // A busy hour still filling (a large demo's launch spike) gives up what it holds so far, rather
    // than holding the whole hour in memory until it ends.
    for (const [hour, bucket] of buckets)
      if (bucket.chars > bucket.flushAt) await writeBucket(hour, bucket, time);
  };

  try {
    // Taken from the plan one by one, so that a written session can be collected: a million visitors'
    // plan would otherwise be held whole until the last hour is written.
    const pending = plan.sessions.reverse();
    for (let session = pending.pop(); session; session = pending.pop()) {
      if (settings.signal?.aborted) throw new DemoStopped(0);
      await flushBefore(session.start);
      writeSession(random, session, (arrival, line) => {
        // Events are generated up to "now" only; the collector owns everything later.
        if (arrival >= now) return;
        const hour = arrival - (arrival % HOUR);
        let bucket = buckets.get(hour);
        if (!bucket)
          buckets.set(hour, (bucket = { entries: [], chars: 0, flushAt: maxObjectChars, written: false }));
        bucket.entries.push([arrival, line]);
        bucket.chars += line.length + 1;
        events++;
        if (session.visitor.isBot) botEvents++;
      });
    }
    await flushBefore(Number.POSITIVE_INFINITY);
    await Promise.all(inFlight);
    if (failure) throw failure;
  } catch (error) {
    await Promise.all(inFlight);
    await rm(staging, { recursive: true, force: true });
    throw error instanceof DemoStopped ? new DemoStopped(written) : error;
  }
  await publishDemoStaging(settings.data);

  return {
    events,
    sessions: sessionCount,
    visitors: plan.visitors,
    objects,
    bytes,
    botEvents,
    from: new Date(now - settings.days * 24 * HOUR).toISOString(),
    to: new Date(now).toISOString(),
    spike: { start: new Date(plan.spike.start).toISOString(), end: new Date(plan.spike.end).toISOString() },
    seconds: (performance.now() - started) / 1000,
  };
}

export function formatDemoSummary(summary: DemoSummary, data: string): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const rate = summary.seconds > 0 ? Math.round(summary.events / summary.seconds) : summary.events;
  return [
    `demo: ${n(summary.events)} events in ${n(summary.sessions)} sessions of ${n(summary.visitors)} visitors`,
    `  period   ${summary.from} → ${summary.to} (spike ${summary.spike.start.slice(0, 13)}h UTC)`,
    `  bots     ${n(summary.botEvents)} events (${((100 * summary.botEvents) / Math.max(1, summary.events)).toFixed(1)} %)`,
    `  written  ${n(summary.objects)} objects, ${(summary.bytes / 1e6).toFixed(1)} MB of NDJSON, under ${data}/raw/`,
    `  took     ${summary.seconds.toFixed(2)} s (${n(rate)} events/s)`,
  ].join("\n");
}
