// Demo objects are written into DATA/demo-unfinished/ first and moved into raw/ only once all of
// them are written. A demo cut short by kill -9, a crash or a closed terminal would otherwise leave
// part of itself in raw/: the next `dev` finds raw/ not empty, writes no demo, and the reports show
// a few weeks of a demo that looks finished. Left behind, the folder is discarded (still writing) or
// its objects are moved on (already moving) at the next start.
import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { makeDirectoryDurably, syncDirectory, writeFileDurably } from "./durable-file.ts";
import { isRunning, isThisProcess, keepTouched, readLockOwner, thisProcess } from "./lock-owner.ts";
import { StartProblem } from "./start-problem.ts";

const FOLDER = "demo-unfinished";
const OWNER = "owner.json";
/** Present once every object is written: from then on the objects only need moving. */
const COMPLETE = "complete";

export const demoStaging = (data: string): string => join(data, FOLDER);

/** Makes the staging folder, owned by this process; another demo still writing into DATA is refused. */
export async function openDemoStaging(data: string): Promise<string> {
  const staging = demoStaging(data);
  if ((await recoverDemoStaging(data)) === "busy")
    throw new StartProblem(
      `another ownstats process is writing demo data into ${data} (${staging}); wait for it or choose another --data`,
    );
  await makeDirectoryDurably(staging);
  await writeFile(join(staging, OWNER), JSON.stringify(thisProcess()));
  keepTouched(join(staging, OWNER));
  return staging;
}

/** Moves every object written into the staging folder to the same place under DATA, then removes the folder. */
export async function publishDemoStaging(data: string): Promise<void> {
  const staging = demoStaging(data);
  await writeFile(join(staging, COMPLETE), "");
  await syncDirectory(staging);
  await moveObjects(staging, data);
  await rm(staging, { recursive: true, force: true });
}

/**
 * What a demo stopped by a kill left behind: objects all written are moved on ("finished"), a
 * partial set is removed ("discarded"); "busy" when its process still runs, "none" when there is none.
 */
export async function recoverDemoStaging(data: string): Promise<"none" | "finished" | "discarded" | "busy"> {
  const staging = demoStaging(data);
  let names: string[];
  try {
    names = await readdir(staging);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "none";
    throw error;
  }
  const owner = readLockOwner(join(staging, OWNER));
  if (owner && !isThisProcess(owner) && isRunning(owner)) return "busy";
  if (!names.includes(COMPLETE)) {
    await rm(staging, { recursive: true, force: true });
    return "discarded";
  }
  await moveObjects(staging, data);
  await rm(staging, { recursive: true, force: true });
  return "finished";
}

/** Renames each finished object under staging/raw/ to DATA/raw/ (a temporary file of a cut write stays). */
async function moveObjects(staging: string, data: string): Promise<void> {
  const objects = (await readdir(join(staging, "raw"), { recursive: true }).catch(() => [] as string[]))
    .filter((name) => name.endsWith(".gz"))
    .sort();
  const folders = new Set<string>();
  for (const name of objects) {
    const target = join(data, "raw", name);
    if (!folders.has(dirname(target))) {
      await makeDirectoryDurably(dirname(target));
      folders.add(dirname(target));
    }
    await moveFile(join(staging, "raw", name), target);
  }
  // A rename lives in the folder's entries: synced once per folder, after its objects moved in.
  for (const folder of folders) await syncDirectory(folder);
}

/** A rename; across disks (raw/ a link to a bigger one, say), a durable copy, then the original removed. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    await writeFileDurably(to, await readFile(from));
    await rm(from);
  }
}
