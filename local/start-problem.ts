// A problem that stops `collect` or `dev` before it serves, which the user fixes (a flag, a folder, a
// lock, a checkpoint): printed as one line with exit code 2, never as a stack trace.
import { stat } from "node:fs/promises";

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

/**
 * Refuses a folder standing where ownstats keeps the file that holds `holds`: every read or write of
 * it would fail with a bare EISDIR, on every delivery, for as long as the process runs.
 */
export async function refuseFolderAt(path: string, holds: string): Promise<void> {
  const found = await stat(path).catch(() => undefined);
  if (found?.isDirectory())
    throw new StartProblem(
      `${path} is a folder, but it must be the file that holds ${holds}; move the folder away or choose another --data`,
    );
}

/** Why a write into the data folder was refused, in the user's words, for the errors a user can fix. */
export const REFUSED: Record<string, string> = {
  ENOSPC: "its disk is full",
  EDQUOT: "the disk quota is used up",
  EFBIG: "a file size limit (ulimit -f) is reached",
  EROFS: "its file system is read-only",
  EACCES: "permission is denied",
  EPERM: "permission is denied",
};

/**
 * A start-up write into `data` that the disk refused, as a StartProblem naming the file and why; any
 * other error as it was. Reached past the writable check, which an empty probe file passes on a full disk.
 */
export function refusedWrite(error: unknown, data: string): unknown {
  const { code, path } = error as NodeJS.ErrnoException;
  const reason = code ? REFUSED[code] : undefined;
  if (!reason) return error;
  return new StartProblem(
    `cannot write ${path ?? `into the data folder ${data}`}: ${reason} (${code}); ` +
      "free some space or fix it, or choose another --data",
  );
}
