// The spool folder's lock (the pid of the one process that collects into it), and the check at open
// that what the spool keeps as files are files.
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { isThisProcess, ownerName, readLockOwner, takeLockFile } from "./lock-owner.ts";
import { isSegmentName } from "./spool-segments.ts";
import { refuseNonFileAt, StartProblem } from "./start-problem.ts";

export const lockFile = (dir: string) => join(dir, "spool.lock");

/**
 * One process writes a spool (its delivery owns the checkpoint). A lock whose process has ended, or
 * whose pid now belongs to another process (after a reboot), is taken over.
 */
export function takeLock(dir: string): void {
  const path = lockFile(dir);
  takeLockFile(path, {
    retakeOwn: true,
    busy: (holder) =>
      new StartProblem(
        `another ownstats process (${ownerName(holder)}) is collecting into ${dir}; stop it or choose another --data ` +
          `(if ${ownerName(holder)} is no ownstats process, delete ${path})`,
      ),
    raced: `could not take the lock ${path}; remove it if no ownstats collector is running`,
  });
}

export async function releaseLock(dir: string): Promise<void> {
  const holder = readLockOwner(lockFile(dir));
  if (holder && isThisProcess(holder)) await rm(lockFile(dir), { force: true });
}

/** Names a folder or named pipe that stands where the spool keeps a file, before anything is acknowledged. */
export async function refuseNonFiles(dir: string): Promise<void> {
  await refuseNonFileAt(lockFile(dir), "the pid of the process that collects into this spool (spool.lock)");
  // A link is followed: one to a segment file is a segment.
  for (const entry of await readdir(dir, { withFileTypes: true }))
    if (isSegmentName(entry.name) && !entry.isFile())
      await refuseNonFileAt(join(dir, entry.name), "accepted events waiting for delivery (a spool segment)");
}
