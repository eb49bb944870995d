// What the /live page shows right after `dev` starts: the last hour's counts per minute and the
// latest events, read from the end of the spool backwards. Reading stops at the first line older
// than the hour, and only one chunk, the minute counts and the latest lines are held, so a large
// spool costs what its last hour holds: reading a 168 MB segment whole took 1.6 s and 300 MB.
import { type FileHandle, open, stat } from "node:fs/promises";
import { join } from "node:path";
import { arrivalReader } from "./delivery-batch.ts";
import { readAt } from "./file-range.ts";

const CHUNK = 1024 * 1024;
/** Longer than any line the collector writes (a request is at most 64 KiB): what lies before is no spool. */
const MAX_LINE = 1024 * 1024;
const NEWLINE = 0x0a;

/** A place in the spool: a segment and the offset just past a line's newline. */
export interface LineEnd {
  segment: string;
  end: number;
}

export interface Backlog {
  /** Events per minute (its start in UTC ms) since the time asked for. */
  perMinute: Map<number, number>;
  /** The latest lines of that time, oldest first. */
  latest: (LineEnd & { text: string })[];
  /** The newest line left out of `latest` (past the number kept, or older than the time). */
  dropped?: LineEnd;
  /** Where each segment's whole lines ended when it was read: following it goes on from there. */
  ends: Map<string, number>;
}

/** Reads `segments` of the spool in `dir` (oldest first) back from their end to `since` (UTC ms). */
export async function readBacklog(
  dir: string,
  segments: string[],
  since: number,
  keep: number,
): Promise<Backlog> {
  const backlog: Backlog = { perMinute: new Map(), latest: [], ends: new Map() };
  const readArrival = arrivalReader();
  let reachedSince = false;
  for (const segment of [...segments].reverse()) {
    const path = join(dir, segment);
    const found = await stat(path).catch(() => undefined);
    if (!found) continue;
    // A segment last written before `since` holds nothing newer; nor does any segment before it.
    if (reachedSince || found.mtimeMs < since) {
      reachedSince = true;
      backlog.ends.set(segment, found.size);
      continue;
    }
    const handle = await open(path, "r");
    try {
      const end = await visitLinesFromEnd(handle, found.size, ({ buf, start, stop, end }) => {
        const arrival = readArrival(buf, start, stop)?.getTime();
        if (arrival === undefined) return true;
        if (arrival < since) {
          reachedSince = true;
          backlog.dropped ??= { segment, end };
          return false;
        }
        const minute = arrival - (arrival % 60_000);
        backlog.perMinute.set(minute, (backlog.perMinute.get(minute) ?? 0) + 1);
        if (backlog.latest.length < keep)
          backlog.latest.push({ segment, end, text: buf.toString("utf8", start, stop) });
        else backlog.dropped ??= { segment, end };
        return true;
      });
      backlog.ends.set(segment, end);
    } finally {
      await handle.close();
    }
  }
  backlog.latest.reverse();
  return backlog;
}

/** A whole line: `buf[start, stop)`, its newline at `stop`; `end` is the file offset past the newline. */
interface LineBytes {
  buf: Buffer;
  start: number;
  stop: number;
  end: number;
}

/**
 * Calls `visit` with the whole lines of the first `size` bytes of a file, last first, until it
 * returns false; resolves with where the whole lines end (a write in progress may follow them).
 */
async function visitLinesFromEnd(
  handle: FileHandle,
  size: number,
  visit: (line: LineBytes) => boolean,
): Promise<number> {
  let pos = size;
  // The start of the earliest line seen so far, which may have begun before `pos`.
  let rest: Buffer = Buffer.alloc(0);
  let wholeEnd: number | undefined;
  while (pos > 0) {
    const from = Math.max(0, pos - CHUNK);
    const read = await readAt(handle, from, pos);
    const buf = rest.length > 0 ? Buffer.concat([read, rest]) : read;
    let lineEnd = buf.length;
    if (wholeEnd === undefined) {
      // Bytes after the last newline are a write still in progress (or torn by a crash): not a line.
      lineEnd = buf.lastIndexOf(NEWLINE) + 1;
      if (lineEnd === 0) {
        if (size - from > MAX_LINE) return size;
        pos = from;
        continue;
      }
      wholeEnd = from + lineEnd;
    }
    while (lineEnd > 0) {
      const newline = lineEnd >= 2 ? buf.lastIndexOf(NEWLINE, lineEnd - 2) : -1;
      // The line goes on in the chunk before, unless this is the start of the file.
      if (newline === -1 && from > 0) break;
      const start = newline + 1;
      if (!visit({ buf, start, stop: lineEnd - 1, end: from + lineEnd })) return wholeEnd;
      lineEnd = start;
    }
    if (from === 0 || lineEnd > MAX_LINE) break;
    rest = buf.subarray(0, lineEnd);
    pos = from;
  }
  return wholeEnd ?? 0;
}
