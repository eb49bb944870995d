// The dev server's real-time feed. It follows the spool (the durable log the collector appends to
// before it acknowledges), so the /live page shows exactly the events that were accepted, the moment
// they are on disk, enriched as they will be stored. Identifiers never leave the server.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { FailureLog } from "../functions/collect/failure-log.ts";
import { readRange } from "./file-range.ts";
import { readBacklog } from "./live-backlog.ts";
import { listSegments } from "./spool.ts";

/** What the live page gets of an event: enough to recognise it, nothing that identifies anyone. */
export interface LiveEvent {
  time: string;
  event_type: string;
  site: string | null;
  page_path: string | null;
  detail: string | null;
  browser: string | null;
  device_type: string | null;
  country: string | null;
  is_bot: boolean;
}

export interface MinuteCount {
  minute: string;
  events: number;
}

/**
 * Where an event sits in the spool (segment, then the byte offset of its line's end), as text that
 * sorts in log order. It stays the same across restarts, so a page that reconnects can say, by
 * Last-Event-ID, which events it already shows. It is a place in a file, not a visitor's id.
 */
export type SpoolPosition = string;

type Listener = (event: LiveEvent, position: SpoolPosition) => void;

const MINUTES_KEPT = 60;
/** Events a page that connects gets to fill its table. */
const RECENT_KEPT = 50;

export class LiveFeed {
  private readonly listeners = new Set<Listener>();
  private readonly perMinute = new Map<number, number>();
  private readonly recent: { event: LiveEvent; position: SpoolPosition }[] = [];
  /** The newest event no longer among the recent ones. */
  private lastDropped: SpoolPosition | undefined;
  private readonly offsets = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private readonly failures = new FailureLog(
    (line) => console.error(line),
    "live: reading the spool works again",
  );
  private readonly spoolDir: string;

  constructor(
    data: string,
    private readonly pollMs = 250,
  ) {
    this.spoolDir = join(data, "spool");
  }

  /**
   * Starts with what the spool took in during the last hour, so that after a restart of the dev
   * server the page still shows the last hour's counts and latest events, not zeros.
   */
  async start(): Promise<this> {
    let segments: string[] = [];
    try {
      segments = await listSegments(this.spoolDir);
      const since = Date.now() - MINUTES_KEPT * 60_000;
      const backlog = await readBacklog(this.spoolDir, segments, since, RECENT_KEPT);
      for (const [segment, end] of backlog.ends) this.offsets.set(segment, end);
      for (const [minute, events] of backlog.perMinute) this.perMinute.set(minute, events);
      for (const { segment, end, text } of backlog.latest) {
        const event = toLiveEvent(text);
        if (event) this.recent.push({ event, position: spoolPosition(segment, end) });
      }
      if (backlog.dropped) this.lastDropped = spoolPosition(backlog.dropped.segment, backlog.dropped.end);
    } catch (error) {
      // The page then starts from what arrives, rather than from reading every segment whole.
      console.error(`live: reading the spool's last hour failed: ${(error as Error).message}`);
      for (const segment of segments) {
        const { size } = await stat(join(this.spoolDir, segment)).catch(() => ({ size: 0 }));
        if (!this.offsets.has(segment)) this.offsets.set(segment, size);
      }
    }
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.listeners.clear();
  }

  /** How many streams follow the feed (pages, or anything else reading /live/events). */
  get watchers(): number {
    return this.listeners.size;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last hour's counts per minute, oldest first, minutes without events included. */
  minutes(now = Date.now()): MinuteCount[] {
    const current = now - (now % 60_000);
    const out: MinuteCount[] = [];
    for (let m = current - (MINUTES_KEPT - 1) * 60_000; m <= current; m += 60_000)
      out.push({ minute: new Date(m).toISOString(), events: this.perMinute.get(m) ?? 0 });
    return out;
  }

  /** The last few events, newest last, for a page that just connected: those after `after`, when given. */
  latest(after?: SpoolPosition): { event: LiveEvent; position: SpoolPosition }[] {
    return this.recent.filter(({ position }) => after === undefined || position > after);
  }

  /**
   * Whether events after `after` are no longer among the recent ones: a page that reconnects from
   * there (after a laptop slept, say) gets the recent ones, and would not know of the gap before them.
   */
  missedAfter(after: SpoolPosition): boolean {
    return this.lastDropped !== undefined && after < this.lastDropped;
  }

  /** Reads what was appended since the last look. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const segments = await listSegments(this.spoolDir);
      for (const segment of segments) {
        const path = join(this.spoolDir, segment);
        const from = this.offsets.get(segment) ?? 0;
        const { size } = await stat(path).catch(() => ({ size: from }));
        if (size <= from) continue;
        const chunk = await readRange(path, from, size);
        // Only whole lines are taken; the rest of a write still in progress is read next time.
        const end = chunk.lastIndexOf(0x0a) + 1;
        if (end === 0) continue;
        this.offsets.set(segment, from + end);
        this.take(segment, from, chunk.subarray(0, end));
      }
      // Segments pruned by the delivery are forgotten.
      for (const segment of this.offsets.keys())
        if (!segments.includes(segment)) this.offsets.delete(segment);
      this.failures.succeeded();
    } catch (error) {
      this.failures.failed(`live: reading the spool failed, will retry: ${(error as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  private take(segment: string, from: number, lines: Buffer): void {
    let start = 0;
    for (let end = lines.indexOf(0x0a); end !== -1; start = end + 1, end = lines.indexOf(0x0a, start)) {
      const event = toLiveEvent(lines.toString("utf8", start, end));
      if (event) this.publish(event, spoolPosition(segment, from + end + 1));
    }
  }

  publish(event: LiveEvent, position: SpoolPosition): void {
    const time = Date.parse(event.time);
    const minute = time - (time % 60_000);
    this.perMinute.set(minute, (this.perMinute.get(minute) ?? 0) + 1);
    for (const key of this.perMinute.keys())
      if (key < minute - MINUTES_KEPT * 60_000) this.perMinute.delete(key);
    this.recent.push({ event, position });
    if (this.recent.length > RECENT_KEPT) this.lastDropped = this.recent.shift()?.position;
    for (const listener of this.listeners) listener(event, position);
  }
}

// Segment names have a fixed width; offsets are padded to one, so text order is log order.
const spoolPosition = (segment: string, offset: number): SpoolPosition =>
  `${segment.replace(/\.ndjson$/, "")}-${String(offset).padStart(15, "0")}`;

export function toLiveEvent(line: string): LiveEvent | undefined {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof record.event_type !== "string") return undefined;
  const text = (key: string) => (typeof record[key] === "string" ? (record[key] as string) : null);
  const number = (key: string) => (typeof record[key] === "number" ? (record[key] as number) : null);
  const scroll = number("scroll_pct");
  const seconds = number("seconds");
  const detail =
    text("element") ??
    (scroll !== null ? `${scroll} %` : null) ??
    (seconds !== null ? `${seconds} s` : null) ??
    (text("experiment") ? `${text("experiment")} = ${text("variant")}` : null) ??
    text("name") ??
    text("utm_source") ??
    null;
  return {
    time: text("ingest_ts") ?? new Date().toISOString(),
    event_type: record.event_type,
    site: text("site"),
    page_path: text("page_path"),
    detail,
    browser: text("browser"),
    device_type: text("device_type"),
    country: text("country"),
    is_bot: record.is_bot === true,
  };
}
