// A write into the data folder that the system refused, in the user's words: every part that writes
// there (the runner, the collector's spool, delivery, sync) names the same causes the same way.
import { writeFileSync } from "node:fs";
import { dirname } from "node:path";

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
 * The way out of a refused write that room does not give: a read-only file system, a missing
 * permission or a limit on the size of one file stays so however much is freed. Undefined for the
 * refusals that room cures.
 */
export function wayOut(code: string | undefined, folder: string): string | undefined {
  if (code === "EROFS") return "mount its file system read-write";
  // The limit is the process's own, inherited from the shell (or a service manager) that starts it.
  if (code === "EFBIG") return "raise the limit (ulimit -f unlimited in the shell that starts ownstats)";
  if (code === "EACCES" || code === "EPERM") return `let the user running ownstats write into ${folder}`;
  return undefined;
}

/**
 * A write of `path` that the system refused, as an error naming the file (Node's error for a write
 * names none), why in the user's words, and the way out; any other error as it was.
 */
export function refusedWriteOf(error: unknown, path: string): unknown {
  const because = refusedBecause(error, dirname(path), "free some space");
  if (!because) return error;
  const { code } = refusal(error);
  return Object.assign(new Error(`cannot write ${path}: ${because}`), { code, path });
}

/**
 * Why a write into `folder` was refused and the way out, as "its file system is read-only (EROFS);
 * mount its file system read-write" (`otherwise` where room is the cure); undefined for another error.
 */
export function refusedBecause(error: unknown, folder: string, otherwise?: string): string | undefined {
  const { code } = refusal(error);
  const reason = code ? REFUSED[code] : undefined;
  if (!reason) return undefined;
  const way = wayOut(code, folder) ?? otherwise;
  return `${reason} (${code})${way ? `; ${way}` : ""}`;
}

/** writeFileSync, with a write the system refused named as refusedWriteOf names it. */
export function writeFileNamingRefusal(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (error) {
    throw refusedWriteOf(error, path);
  }
}

// DuckDB's IO errors carry the system's words, not its code:
// `IO Error: Could not write file "…/warehouse.duckdb": No space left on device`.
const SYSTEM_WORDS: Record<string, string> = {
  "No space left on device": "ENOSPC",
  "Disk quota exceeded": "EDQUOT",
  "File too large": "EFBIG",
  "Read-only file system": "EROFS",
  "Permission denied": "EACCES",
  "Operation not permitted": "EPERM",
};

/** The refusals that room cures: a full disk, a used-up quota. */
const NO_ROOM = new Set(["ENOSPC", "EDQUOT"]);

/** Whether `error` is a write refused for want of room (a Node error's code, a DuckDB IO error's words). */
export function refusedForRoom(error: unknown): boolean {
  return NO_ROOM.has(refusal(error).code ?? "");
}

/**
 * Whether a line of output (a build's, in another process) tells of a write refused for want of
 * room, in Node's words (`ENOSPC: no space left on device`), ownstats' (`its disk is full (ENOSPC)`)
 * or DuckDB's (`No space left on device`).
 */
export function saysNoRoom(line: string): boolean {
  return (
    [...NO_ROOM].some((code) => line.includes(`(${code})`) || line.includes(`${code}:`)) ||
    Object.entries(SYSTEM_WORDS).some(([words, code]) => NO_ROOM.has(code) && line.includes(words))
  );
}

/** The code and file of a refused write, from a Node error's fields or a DuckDB IO error's words. */
export function refusal(error: unknown): { code?: string; path?: string } {
  if (typeof error !== "object" || error === null) return {};
  const { code, path, message } = error as NodeJS.ErrnoException;
  if (code || typeof message !== "string") return { code, path };
  const io = /^IO Error: .*? file "(.+)": (.+?)\.?$/s.exec(message);
  const ioCode = io?.[2] ? SYSTEM_WORDS[io[2]] : undefined;
  return ioCode ? { code: ioCode, path: io?.[1] } : {};
}
