// Keeping a folder of generated files (target/compiled, target/run) to the files of the project as it
// is, without ever removing the folder as a whole: another ownstats process may be writing into it at
// that moment (`ownstats ls` in a terminal while `ownstats dev` builds), and would fail mid-write.
import { type Dirent, readdirSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";

/** Removes every file under `root` not in `keep` (full paths), then the folders left empty. */
export function pruneFolder(root: string, keep: ReadonlySet<string>): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch (error) {
    // Not there yet, or a folder in it removed by another process's prune while this one walked it.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && !keep.has(path)) rmSync(path, { force: true });
  }
  // Deepest first, so that a folder emptied of its folders goes too; one that another process has just
  // written into, or removed, stays as that process left it.
  const folders = entries.filter((e) => e.isDirectory()).map((e) => join(e.parentPath, e.name));
  for (const folder of folders.sort((a, b) => b.length - a.length)) {
    try {
      rmdirSync(folder);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code !== "ENOTEMPTY" && code !== "EEXIST" && code !== "ENOENT") throw error;
    }
  }
}
