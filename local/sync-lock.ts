// One `ownstats sync` at a time per data folder: two at once would download every object twice and
// append to each other's partial files. A lock left by a sync that was killed is taken over.
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { isRunning, ownerOf, thisProcess } from "./lock-owner.ts";

export const syncLockPath = (data: string): string => join(data, "sync.lock");

/** Takes the data folder's sync lock; the returned function lets it go. */
export async function lockSync(data: string): Promise<() => Promise<void>> {
  const path = syncLockPath(data);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, "wx");
      await file.writeFile(JSON.stringify(thisProcess()));
      await file.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = await readOwner(path);
    if (owner && isRunning(owner))
      throw new Error(
        `another ownstats sync (pid ${owner.pid}) is downloading into ${data}; wait for it to finish`,
      );
    await rm(path, { force: true });
  }
  throw new Error(`could not take ${path}: another ownstats sync started at the same moment`);
}

async function readOwner(path: string) {
  try {
    return ownerOf(JSON.parse(await readFile(path, "utf8")));
  } catch {
    // Gone, or empty: its sync was killed between creating and writing it.
    return undefined;
  }
}
