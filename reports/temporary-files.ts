// Every file of the site is written under a temporary name beside its place, then renamed into it: a
// browser loading the site meanwhile gets the whole old file or the whole new one. A render stopped
// between the two (killed, out of disk) leaves the temporary file behind.
import { randomUUID } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";

/** The name `path` is written under before it is renamed into place: `<path>.<pid>-<8 hex>.tmp`. */
export function temporaryPath(path: string): string {
  return `${path}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
}

/** temporaryPath's names, and `<path>.<pid>.tmp`, which earlier versions gave the engine's files. */
const temporaryName = /.\.\d+(-[0-9a-f]{8})?\.tmp$/;

/**
 * Removes, anywhere in the site folder, the files named as temporaryPath names them, and no other
 * file. Only for a render that no other can overlap: its own temporary files are not there yet.
 */
export function removeLeftoverTemporaries(site: string): void {
  let names: string[];
  try {
    names = readdirSync(site, { recursive: true, encoding: "utf8" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  for (const name of names) if (temporaryName.test(basename(name))) rmSync(join(site, name), { force: true });
}
