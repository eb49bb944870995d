// Temp folders for tests, removed once the test file that made them has run: left to the end of the
// run, a file's folders (whole data folders with a warehouse, some of them) add up over a run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const made: string[] = [];

// Vitest loads this module anew for each test file, so the hook runs after that file's tests. A
// benchmark reusing a test kit runs outside vitest, and removes its own folders.
if (process.env.VITEST) {
  afterAll(() => {
    for (const folder of made.splice(0)) {
      try {
        rmSync(folder, { recursive: true, force: true });
      } catch {
        // A process a test left running still writes into it: the run's own folder goes at its end.
      }
    }
  });
}

/** A new folder in the temp folder (its name starts with `prefix`), removed after the current test file. */
export function tempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  made.push(folder);
  return folder;
}
