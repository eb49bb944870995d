// How the spool's segments come and go: when the open segment is closed, how the next one is made,
// and which closed ones are removed. The spool itself only orders and fsyncs appends (spool.ts).
//
// A segment is closed when it is full or its first line is an hour old (at the next append), and
// closed segments older than the retention (24 h, like Kinesis) that the delivery has passed are
// pruned: the open one never is.
import type { FileHandle } from "node:fs/promises";
import { open, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { syncDirectory } from "./durable-file.ts";
import { listSegments, type SpoolPosition } from "./spool-segments.ts";

export interface RotationOptions {
  /** How long delivered segments are kept. @default 24 h */
  retentionMs?: number;
  /** A segment is closed once it holds this many bytes. @default 64 MiB */
  segmentBytes?: number;
  /**
   * A segment is closed at the first append once its first line is this old, so a quiet spool
   * still hands its delivered lines to the pruning. @default 1 h
   */
  segmentMs?: number;
}

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Whether the open segment, holding `size` bytes with its first line written at `firstAppendAt`,
 * is to be closed before the next append.
 */
export function segmentIsDue(size: number, firstAppendAt: number, options: RotationOptions): boolean {
  const full = size >= (options.segmentBytes ?? 64 * 1024 * 1024);
  const old = size > 0 && Date.now() - firstAppendAt >= (options.segmentMs ?? HOUR_MS);
  return full || old;
}

/** Creates the segment that follows every existing one, its name durable in the folder. */
export async function createNextSegment(dir: string): Promise<{ segment: string; handle: FileHandle }> {
  // Names sort in log order: a new segment always sorts after every existing one.
  const newest = (await listSegments(dir)).at(-1);
  const newestStamp = newest ? Number(newest.slice(0, 16)) : 0;
  const stamp = String(Math.max(Date.now(), newestStamp + 1)).padStart(16, "0");
  const segment = `${stamp}-${String(process.pid % 1_000_000).padStart(6, "0")}.ndjson`;
  // "ax+" fails rather than share a file with another writer; readable for the spool's startOver.
  const handle = await open(join(dir, segment), "ax+");
  // The new file's name is durable only once the folder is synced: without it a power loss could
  // take the segment away together with appends in it that were acknowledged.
  try {
    await syncDirectory(dir);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return { segment, handle };
}

/**
 * Deletes closed segments that lie wholly before `delivered` and were last written before the
 * retention. `isOpen` is asked at each segment, as the spool may rotate while this runs.
 */
export async function pruneDeliveredSegments(
  dir: string,
  delivered: SpoolPosition,
  isOpen: (segment: string) => boolean,
  options: RotationOptions,
  now: number,
): Promise<string[]> {
  const retention = options.retentionMs ?? DAY_MS;
  const removed: string[] = [];
  for (const segment of await listSegments(dir)) {
    if (segment > delivered.segment || isOpen(segment)) break;
    const path = join(dir, segment);
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
