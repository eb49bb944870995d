// The local stand-in for a Kinesis stream: an append-only log of accepted events in
// DATA/spool/, one NDJSON segment file at a time. `put` resolves only after the lines are on
// disk (fsync), so an acknowledged event survives a crash. Concurrent puts share one write and
// one fsync (group commit), which is what keeps the collector fast.
//
// Every start opens a new segment, so a line torn by a crash can only sit at the end of a
// closed segment, where the delivery drops it. A segment is closed when it is full or its first
// line is an hour old (at the next append), and closed segments older than the retention (24 h,
// like Kinesis) that the delivery has passed are pruned: the open one never is.

import type { FileHandle } from "node:fs/promises";
import { open, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { StoredEvent } from "../functions/collect/event.ts";
import type { Sink } from "../functions/collect/sink.ts";
import { makeDirectoryDurably, syncDirectory } from "./durable-file.ts";
import { readLockOwner, takeLockFile } from "./lock-owner.ts";
import { refuseNonFileAt, StartProblem } from "./start-problem.ts";

export interface SpoolOptions {
  /** How long delivered segments are kept. @default 24 h */
  retentionMs?: number;
  /** A segment is closed once it holds this many bytes. @default 64 MiB */
  segmentBytes?: number;
  /**
   * A segment is closed at the first append once its first line is this old, so a quiet spool
   * still hands its delivered lines to the pruning. @default 1 h
   */
  segmentMs?: number;
  /** Called after every durable append with the bytes appended. */
  onAppend?: (bytes: number) => void;
}

/** A place in the log: a segment and a byte offset in it. */
export interface SpoolPosition {
  segment: string;
  offset: number;
}

const SEGMENT = /^\d{16}-\d{6}\.ndjson$/;
export const isSegmentName = (name: string) => SEGMENT.test(name);
const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

interface PendingAppend {
  data: Buffer;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class Spool implements Sink {
  private handle: FileHandle | undefined;
  private segment = "";
  private committed = 0;
  /** Bytes written to the segment whose datasync has not finished yet. */
  private writtenAhead = 0;
  /** When the first line of the segment was written (meaningful once it holds a byte). */
  private firstAppendAt = 0;
  private queue: PendingAppend[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly options: SpoolOptions,
  ) {}

  static async open(dir: string, options: SpoolOptions = {}): Promise<Spool> {
    await makeDirectoryDurably(dir);
    await refuseNonFiles(dir);
    takeLock(dir);
    const spool = new Spool(dir, options);
    await spool.rotate();
    return spool;
  }

  /** The segment being written and how many of its bytes are durable. */
  get head(): SpoolPosition {
    return { segment: this.segment, offset: this.committed };
  }

  async put(events: StoredEvent[]): Promise<void> {
    // One join gives a flat string; a string grown with += is a rope that Buffer.from must
    // flatten first, which cost a fifth of the serializing.
    const lines = events.map((event) => JSON.stringify(event));
    lines.push("");
    return this.append(Buffer.from(lines.join("\n"), "utf8"));
  }

  /** Appends complete NDJSON lines (ending with "\n") and resolves once they are on disk. */
  append(data: Buffer): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the spool is closed"));
    if (data.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ data, resolve, reject });
      this.writing ??= this.drain().finally(() => {
        this.writing = undefined;
      });
    });
  }

  // One batch is written while the fsync of the one before is still running: a datasync that
  // starts after a write has completed covers that write, so each batch is acknowledged by its
  // own datasync (in order), and the disk's fsync latency is paid once per batch of requests.
  private async drain(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let previous: Promise<unknown> = Promise.resolve();
    for (;;) {
      if (this.queue.length === 0 || inFlight.size >= 2) {
        if (inFlight.size === 0) return;
        await Promise.race(inFlight);
        continue;
      }
      const batch = this.queue;
      this.queue = [];
      const data =
        batch.length === 1 ? (batch[0] as PendingAppend).data : Buffer.concat(batch.map((b) => b.data));
      try {
        const size = this.committed + this.writtenAhead;
        const full = size >= (this.options.segmentBytes ?? 64 * 1024 * 1024);
        const old = size > 0 && Date.now() - this.firstAppendAt >= (this.options.segmentMs ?? HOUR_MS);
        if (full || old) {
          await Promise.all(inFlight);
          await this.rotate();
        }
        if (this.committed + this.writtenAhead === 0) this.firstAppendAt = Date.now();
        const handle = await this.write(data);
        this.writtenAhead += data.length;
        const synced = Promise.all([previous, handle.datasync()]).then(
          () => {
            this.writtenAhead -= data.length;
            this.committed += data.length;
            for (const pending of batch) pending.resolve();
            this.options.onAppend?.(data.length);
          },
          (error: unknown) => this.fail(batch, error),
        );
        previous = synced;
        const tracked: Promise<void> = synced.then(() => {
          inFlight.delete(tracked);
        });
        inFlight.add(tracked);
      } catch (error) {
        await Promise.all(inFlight);
        await this.fail(batch, error);
      }
    }
  }

  private async fail(batch: PendingAppend[], error: unknown): Promise<void> {
    for (const pending of batch) pending.reject(error);
    // A write refused before its first byte, into a segment that holds nothing yet (a full disk),
    // left nothing to step over: the segment is kept. A fresh one each time would leave one empty
    // segment behind per refused request for as long as the disk stays full.
    if (this.committed + this.writtenAhead === 0 && (await this.segmentIsEmpty())) return;
    // The segment may now end in half a line: continue in a fresh one.
    await this.rotate().catch(() => {});
  }

  private async segmentIsEmpty(): Promise<boolean> {
    const size = await this.handle?.stat().then(
      (s) => s.size,
      () => undefined,
    );
    return size === 0;
  }

  private async write(data: Buffer): Promise<FileHandle> {
    const handle = this.handle;
    if (!handle) throw new Error("the spool has no open segment");
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
    return handle;
  }

  private async rotate(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    // Names sort in log order: a new segment always sorts after every existing one.
    const newest = (await listSegments(this.dir)).at(-1);
    const newestStamp = newest ? Number(newest.slice(0, 16)) : 0;
    const stamp = String(Math.max(Date.now(), newestStamp + 1)).padStart(16, "0");
    const segment = `${stamp}-${String(process.pid % 1_000_000).padStart(6, "0")}.ndjson`;
    // "ax" fails rather than share a file with another writer.
    const handle = await open(join(this.dir, segment), "ax");
    // The new file's name is durable only once the folder is synced: without it a power loss could
    // take the segment away together with appends in it that were acknowledged.
    try {
      await syncDirectory(this.dir);
    } catch (error) {
      await handle.close();
      throw error;
    }
    this.handle = handle;
    this.segment = segment;
    this.committed = 0;
    this.writtenAhead = 0;
  }

  /** Waits for appends in flight, then closes the segment; later puts are refused. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing) await this.writing;
    await this.handle?.close();
    this.handle = undefined;
    await releaseLock(this.dir);
  }

  /** Deletes closed segments that lie wholly before `delivered` and were last written before the retention. */
  async prune(delivered: SpoolPosition, now = Date.now()): Promise<string[]> {
    const retention = this.options.retentionMs ?? DAY_MS;
    const removed: string[] = [];
    for (const segment of await listSegments(this.dir)) {
      if (segment > delivered.segment || segment === this.segment) break;
      const path = join(this.dir, segment);
      const { mtimeMs, size } = await stat(path);
      // A closed segment the delivery has read to its end is behind it too (the delivery goes on
      // from the next segment once this one is gone).
      if (segment === delivered.segment && delivered.offset < size) break;
      if (now - mtimeMs < retention) continue;
      await rm(path, { force: true });
      removed.push(segment);
    }
    return removed;
  }
}

const lockFile = (dir: string) => join(dir, "spool.lock");

/** Names a folder or named pipe that stands where the spool keeps a file, before anything is acknowledged. */
async function refuseNonFiles(dir: string): Promise<void> {
  await refuseNonFileAt(lockFile(dir), "the pid of the process that collects into this spool (spool.lock)");
  // A link is followed: one to a segment file is a segment.
  for (const entry of await readdir(dir, { withFileTypes: true }))
    if (SEGMENT.test(entry.name) && !entry.isFile())
      await refuseNonFileAt(join(dir, entry.name), "accepted events waiting for delivery (a spool segment)");
}

/**
 * One process writes a spool (its delivery owns the checkpoint). A lock whose process has ended, or
 * whose pid now belongs to another process (after a reboot), is taken over.
 */
function takeLock(dir: string): void {
  const path = lockFile(dir);
  takeLockFile(path, {
    retakeOwn: true,
    busy: (holder) =>
      new StartProblem(
        `another ownstats process (pid ${holder.pid}) is collecting into ${dir}; stop it or choose another --data ` +
          `(if pid ${holder.pid} is no ownstats process, delete ${path})`,
      ),
    raced: `could not take the lock ${path}; remove it if no ownstats collector is running`,
  });
}

async function releaseLock(dir: string): Promise<void> {
  const holder = readLockOwner(lockFile(dir));
  if (holder?.pid === process.pid) await rm(lockFile(dir), { force: true });
}

/** Every line the spool holds, oldest first (for inspection and tests; the delivery streams instead). */
export async function readSpoolLines(dir: string): Promise<string[]> {
  const lines: string[] = [];
  for (const segment of await listSegments(dir)) {
    const text = await readFile(join(dir, segment), "utf8");
    lines.push(...text.split("\n").filter(Boolean));
  }
  return lines;
}

/**
 * The spool's segment files, oldest first. A folder or named pipe with a segment's name, made while
 * the spool runs (a start refuses one), is no segment: reading a folder would fail on every delivery
 * and every live poll, and reading a pipe would never end.
 */
export async function listSegments(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => SEGMENT.test(entry.name) && (entry.isFile() || entry.isSymbolicLink()))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
