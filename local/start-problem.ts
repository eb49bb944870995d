// A problem that stops `collect` or `dev` before it serves, which the user fixes (a flag, a folder, a
// lock, a checkpoint): printed as one line with exit code 2, never as a stack trace.
import { type Stats, statSync } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { refusal, refusedBecause } from "../runner/refused-write.ts";

export class StartProblem extends Error {}

/**
 * A delivery checkpoint that is not JSON. Checkpoints are written whole or not at all, so only a hand
 * edit or a damaged disk gets here, and the way out (`restart`: where reading starts again) is the user's.
 */
export function damagedCheckpoint(path: string, reason: string, restart: string): StartProblem {
  return new StartProblem(
    `${path} is not a delivery checkpoint (${reason}); delete it to ${restart} ` +
      "(events already in raw/ then land again; the next build removes the duplicates by event_id)",
  );
}

/** What is at `path`, if anything can be seen there. */
export function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** What stands at a path that is not a file, in the user's words (undefined for a file). */
export function notAFile(found: Stats | undefined): string | undefined {
  if (!found || found.isFile()) return undefined;
  if (found.isDirectory()) return "a folder";
  if (found.isFIFO()) return "a named pipe (FIFO)";
  if (found.isSocket()) return "a socket";
  if (found.isCharacterDevice() || found.isBlockDevice()) return "a device";
  return "no regular file";
}

/**
 * Refuses a folder, named pipe, socket or device standing where ownstats keeps the file that holds
 * `holds`: reading a folder fails with a bare EISDIR on every delivery, and reading a named pipe
 * blocks until something writes into it, which nothing does: the start or the delivery would hang.
 */
export async function refuseNonFileAt(path: string, holds: string): Promise<void> {
  const what = notAFile(await stat(path).catch(() => undefined));
  if (what)
    throw new StartProblem(
      `${path} is ${what}, but it must be the file that holds ${holds}; move it away or choose another --data`,
    );
}

/**
 * A start-up write into `data` that the disk refused, as a StartProblem naming the file and why; any
 * other error as it was. Reached past the writable check, which an empty probe file passes on a full disk.
 */
export function refusedWrite(error: unknown, data: string): unknown {
  const { path } = refusal(error);
  const because = refusedBecause(error, path ? dirname(path) : data, "free some space or fix it");
  if (!because) return error;
  return new StartProblem(
    `cannot write ${path ?? `into the data folder ${data}`}: ${because}, or choose another --data`,
  );
}
