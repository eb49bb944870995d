// The local stand-in for Firehose: reads the spool from its checkpoint and lands gzip NDJSON
// objects in DATA/raw/…/hour=HH/ by arrival hour, when the interval passes or enough bytes are
// waiting. The checkpoint is written after each object, so a restart resumes where the last
// object ended: an event is delivered at least once (event_id removes duplicates downstream).
// Both the object and the checkpoint are synced with their folders, the object first, so after a
// power loss the checkpoint never covers an object that is not on disk.
import { isUtf8 } from "node:buffer";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { FailureLog } from "../functions/collect/failure-log.ts";
import { wholeNumber, wholeNumberForm } from "../functions/collect/whole-number.ts";
import { refusedForRoom } from "../runner/refused-write.ts";
import { arrivalReader, runsByHour } from "./delivery-batch.ts";
import { writeFileDurably } from "./durable-file.ts";
import { readRange } from "./file-range.ts";
import { writeRawNdjson } from "./raw-object.ts";
import { isSegmentName, listSegments, type Spool, type SpoolPosition } from "./spool.ts";
import { damagedCheckpoint, refuseNonFileAt, StartProblem } from "./start-problem.ts";

export interface DeliveryOptions {
  data: string;
  spool: Spool;
  /** Deliver at least this often. @default 5000 */
  intervalMs?: number;
  /** Deliver as soon as this many bytes wait in the spool. @default 5 MiB */
  maxBytes?: number;
  /** Where problems are reported. @default console.error */
  log?: (message: string) => void;
}

const READ_CHUNK = 16 * 1024 * 1024;
const NEWLINE = 0x0a;

// Timers take at most 2^31 - 1 ms; Node runs a longer interval every millisecond instead.
const MAX_INTERVAL_MS = 2_147_483_647;

/** OWNSTATS_DELIVERY_INTERVAL_MS, checked: unset or empty leaves the default. */
export function deliveryIntervalFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const interval = wholeNumber(value, 1, MAX_INTERVAL_MS);
  if (interval === undefined)
    throw new StartProblem(
      `OWNSTATS_DELIVERY_INTERVAL_MS must be milliseconds as ${wholeNumberForm(1, MAX_INTERVAL_MS)}, e.g. 5000 (the default), got "${value}"`,
    );
  return interval;
}

export const checkpointPath = (spoolDir: string) => join(spoolDir, "checkpoint.json");

const RESTART = "deliver the spool from its start";
const CHECKPOINT_HOLDS = "how far the delivery has landed the spool in raw/ (its checkpoint)";

export async function readCheckpoint(spoolDir: string): Promise<SpoolPosition | undefined> {
  const path = checkpointPath(spoolDir);
  await refuseNonFileAt(path, CHECKPOINT_HOLDS);
  // The checkpoint is written through this name: a folder here fails every write of it.
  await refuseNonFileAt(`${path}.tmp`, `${CHECKPOINT_HOLDS} while it is written`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if (error instanceof SyntaxError) throw damagedCheckpoint(path, error.message, RESTART);
    throw error;
  }
  const { segment, offset } = (parsed ?? {}) as Partial<Record<keyof SpoolPosition, unknown>>;
  // A hand-edited position would otherwise be taken as no checkpoint at all, and the whole spool
  // delivered again without a word. An offset past a segment's end is not refused: a power loss
  // soon after a crash can take back a tail that was never acknowledged, after it was delivered.
  if (
    typeof segment !== "string" ||
    !isSegmentName(segment) ||
    !Number.isSafeInteger(offset) ||
    (offset as number) < 0
  )
    throw damagedCheckpoint(
      path,
      `expected {"segment": the name of a spool segment, "offset": the bytes of it delivered}, got ${JSON.stringify(parsed).slice(0, 120)}`,
      RESTART,
    );
  return { segment, offset: offset as number };
}

async function writeCheckpoint(spoolDir: string, position: SpoolPosition): Promise<void> {
  await writeFileDurably(checkpointPath(spoolDir), JSON.stringify(position));
}

export class SpoolDelivery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private queued: Promise<number> | undefined;
  private waitingBytes = 0;
  private stopped = false;
  private readonly log: (message: string) => void;
  private readonly failures: FailureLog;

  constructor(private readonly options: DeliveryOptions) {
    this.log = options.log ?? console.error;
    this.failures = new FailureLog(this.log, "delivery: works again, landing what the spool kept");
  }

  /** Lands what an earlier run left in the spool right away, then delivers on the interval. */
  start(): this {
    void this.deliverSafely();
    const interval = this.options.intervalMs ?? 5_000;
    this.timer = setInterval(() => void this.deliverSafely(), interval);
    this.timer.unref();
    return this;
  }

  /** Told by the spool after each append; starts a delivery early once enough bytes wait. */
  noteAppended(bytes: number): void {
    this.waitingBytes += bytes;
    if (this.waitingBytes >= (this.options.maxBytes ?? 5 * 1024 * 1024)) void this.deliverSafely();
  }

  private async deliverSafely(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.deliver();
      this.failures.succeeded();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.failures.failed(
        `delivery: cannot land events in raw/, the spool keeps them; will retry: ${message}`,
      );
    }
  }

  /**
   * Lands one object. On a full disk the spool segments already delivered go first, which the spool
   * otherwise keeps for their retention: their events are in raw/, and the room lets the waiting ones land.
   */
  private async writeObject(ndjson: Buffer, arrival: Date): Promise<void> {
    try {
      await writeRawNdjson(this.options.data, ndjson, arrival);
    } catch (error) {
      if (!(await this.madeRoom(error))) throw error;
      await writeRawNdjson(this.options.data, ndjson, arrival);
    }
  }

  /** Removes the spool segments already delivered when `error` is a full disk; whether any went. */
  private async madeRoom(error: unknown): Promise<boolean> {
    if (!refusedForRoom(error)) return false;
    const { spool } = this.options;
    const delivered = await readCheckpoint(spool.dir).catch(() => undefined);
    if (!delivered) return false;
    const removed = await spool.prune(delivered, Number.POSITIVE_INFINITY).catch(() => []);
    if (removed.length > 0)
      this.log(
        `delivery: the disk is full: removed ${removed.length} spool segment${removed.length === 1 ? "" : "s"} already delivered (kept for 24 h otherwise), to land the events that wait`,
      );
    return removed.length > 0;
  }

  /** Lands everything durable in the spool now; resolves with the number of events written. */
  deliver(): Promise<number> {
    if (!this.running) return this.startPass();
    // The pass in progress may have read the spool's head before the caller's append, so one more
    // pass follows it; callers arriving meanwhile share that one.
    this.queued ??= this.running
      .catch(() => 0)
      .then(() => {
        this.queued = undefined;
        return this.running ? this.deliver() : this.startPass();
      });
    return this.queued;
  }

  private startPass(): Promise<number> {
    this.running = this.deliverPending().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops the timer, lets a delivery in progress finish, then lands what is left. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    while (this.running || this.queued) await (this.queued ?? this.running)?.catch(() => 0);
    await this.deliver();
  }

  private async deliverPending(): Promise<number> {
    const { spool } = this.options;
    this.waitingBytes = 0;
    const head = spool.head;
    let position = await readCheckpoint(spool.dir);
    let delivered = 0;
    const readArrival = arrivalReader();
    for (const segment of await listSegments(spool.dir)) {
      if (position && segment < position.segment) continue;
      // Segments opened after this pass began may hold writes not yet on disk.
      if (segment > head.segment) break;
      const start = position?.segment === segment ? position.offset : 0;
      const isHead = segment === head.segment;
      const end = isHead ? head.offset : (await stat(join(spool.dir, segment))).size;
      let offset = start;
      while (offset < end) {
        const chunk = await readRange(join(spool.dir, segment), offset, Math.min(end, offset + READ_CHUNK));
        const lastNewline = chunk.lastIndexOf(NEWLINE);
        if (lastNewline === -1) {
          if (isHead || end - offset >= READ_CHUNK) break;
          // A closed segment ending without a newline: the tail of a write cut short by a crash,
          // never acknowledged. Step over it.
          this.log(`delivery: skipped ${end - offset} bytes of an unfinished line in ${segment}`);
          offset = end;
          break;
        }
        const lines = locateLines(chunk, lastNewline + 1, readArrival);
        const bad = lines.filter((l) => !l.arrival).length;
        if (bad > 0) this.log(`delivery: skipped ${bad} unreadable lines in ${segment}`);
        for (const run of runsByHour(lines.filter((l): l is LocatedLine => l.arrival !== undefined))) {
          const first = run[0] as LocatedLine;
          const last = run[run.length - 1] as LocatedLine;
          await this.writeObject(bytesOf(chunk, run), first.arrival);
          delivered += run.length;
          await writeCheckpoint(spool.dir, { segment, offset: offset + last.end });
        }
        offset += lastNewline + 1;
      }
      // An idle pass leaves the checkpoint as it was rather than paying two fsyncs to rewrite it.
      if (position?.segment !== segment || position.offset !== offset) {
        position = { segment, offset };
        await writeCheckpoint(spool.dir, position);
      }
    }
    if (position) await spool.prune(position);
    return delivered;
  }
}

/** A line of a chunk: its bytes are [start, end) of the chunk, newline included. */
interface LocatedLine {
  start: number;
  end: number;
  arrival: Date;
}

// The lines stay bytes of the chunk: decoding each into a string, then joining and encoding them
// again for the object, cost as much as everything else the delivery does.
function locateLines(
  chunk: Buffer,
  length: number,
  readArrival: ReturnType<typeof arrivalReader>,
): (Omit<LocatedLine, "arrival"> & { arrival?: Date })[] {
  const lines: (Omit<LocatedLine, "arrival"> & { arrival?: Date })[] = [];
  let from = 0;
  while (from < length) {
    const newline = chunk.indexOf(NEWLINE, from);
    if (newline > from)
      lines.push({ start: from, end: newline + 1, arrival: readArrival(chunk, from, newline) });
    from = newline + 1;
  }
  return lines;
}

/** The NDJSON bytes of a run of lines: one slice when they lie side by side, as they almost always do. */
function bytesOf(chunk: Buffer, run: LocatedLine[]): Buffer {
  const slices: Buffer[] = [];
  let start = -1;
  let end = -1;
  for (const line of run) {
    if (line.start !== end) {
      if (start !== -1) slices.push(chunk.subarray(start, end));
      start = line.start;
    }
    end = line.end;
  }
  if (start !== -1) slices.push(chunk.subarray(start, end));
  const bytes = slices.length === 1 ? (slices[0] as Buffer) : Buffer.concat(slices);
  // Lines the spool wrote are UTF-8; anything else is re-encoded as decoding it would have been.
  return isUtf8(bytes) ? bytes : Buffer.from(bytes.toString("utf8"), "utf8");
}
