// One `ownstats sync` at a time per data folder: two at once would download every object twice and
// append to each other's partial files. A lock left by a sync that was killed is taken over.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { ownerName, takeLockFile } from "./lock-owner.ts";

export const syncLockPath = (data: string): string => join(data, "sync.lock");

/** Takes the data folder's sync lock; the returned function lets it go. */
export async function lockSync(data: string): Promise<() => Promise<void>> {
  const path = syncLockPath(data);
  await takeLockFile(path, {
    busy: (owner) =>
      new Error(
        `another ownstats sync (${ownerName(owner)}) is downloading into ${data}; wait for it to finish`,
      ),
    raced: `could not take ${path}: another ownstats sync started at the same moment`,
  });
  return () => rm(path, { force: true });
}
