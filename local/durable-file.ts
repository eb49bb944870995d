// Writes that survive a power loss, not only a crash: data fsynced before a rename, and the folder
// whose entries changed (a file created, renamed or a folder made) synced after it. Raw objects,
// spool segments and delivery checkpoints are written through these.
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/**
 * Replaces `path` with `bytes` through `path.tmp`: the data is fsynced before the rename and the
 * folder after it, so once this resolves the file is on disk whole, even across a power loss.
 */
export async function writeFileDurably(path: string, bytes: Uint8Array | string): Promise<void> {
  const temporaryPath = `${path}.tmp`;
  const handle = await open(temporaryPath, "w");
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporaryPath, { force: true });
    throw error;
  }
  await handle.close();
  await renameIntoPlace(temporaryPath, path);
}

/**
 * Renames a complete file that was written some other way (streamed) over `path`, with the same
 * guarantee as writeFileDurably: its data is fsynced before the rename and the folder after it.
 */
export async function renameDurably(from: string, path: string): Promise<void> {
  const handle = await open(from, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await renameIntoPlace(from, path);
}

async function renameIntoPlace(from: string, path: string): Promise<void> {
  await rename(from, path);
  // A rename lives in the folder's entries, which the file's fsync does not cover.
  await syncDirectory(dirname(path));
}

/** Flushes a folder's entries (files created, renamed or removed in it) to disk. */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `mkdir -p` that also syncs the parent of each folder it made, so the new folders outlive a power loss. */
export async function makeDirectoryDurably(path: string): Promise<void> {
  const target = resolve(path);
  const first = await mkdir(target, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
    return makeOneByOne(target);
  });
  if (first === undefined) return;
  for (let folder = target; dirname(folder) !== folder; folder = dirname(folder)) {
    await syncDirectory(dirname(folder));
    if (folder === first) return;
  }
}

/**
 * mkdir -p reports ENOENT whatever stopped it at a parent (a read-only file system, a denied
 * permission): making the missing folders one at a time throws the real cause, naming the folder.
 * Returns the first folder made, as mkdir -p does.
 */
async function makeOneByOne(target: string): Promise<string | undefined> {
  const missing = [];
  for (let folder = target; dirname(folder) !== folder; folder = dirname(folder)) {
    if (
      await stat(folder).then(
        () => true,
        () => false,
      )
    )
      break;
    missing.unshift(folder);
  }
  for (const folder of missing)
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      // Another download making the same hour folder meanwhile.
      if (error.code !== "EEXIST") throw error;
    });
  return missing[0];
}
