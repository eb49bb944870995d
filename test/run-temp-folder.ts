// One temp folder for a whole test run (vitest's globalSetup). The run points TMPDIR at it, so the
// test workers and every process they start (the ownstats command, Chromium, terraform, s3rver)
// make their temp folders inside it, and the run removes it at its end: a test that forgets to
// clean up cannot fill the disk run after run.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isRunning } from "../local/lock-owner.ts";

const PREFIX = "ownstats-test-run-";

/** A new run folder in `parent`, named after this process so that a later run can tell when its owner is gone. */
export function createRunFolder(parent: string): string {
  return mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
}

/** Removes the run folders in `parent` whose run ended without removing them (killed, or the machine stopped). */
export function sweepAbandonedRunFolders(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1];
    if (pid && !isRunning({ pid: Number(pid) })) removeFolder(join(parent, name));
  }
}

function removeFolder(folder: string): void {
  try {
    rmSync(folder, { recursive: true, force: true });
  } catch {
    // Another user's folder, or a process still writing into it: a later run sweeps it.
  }
}

export default function setup(): () => void {
  const parent = tmpdir();
  sweepAbandonedRunFolders(parent);
  const folder = createRunFolder(parent);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = folder;
  const remove = () => removeFolder(folder);
  // On Ctrl-C vitest exits without running the teardown below; the exit event still comes.
  process.once("exit", remove);
  return () => {
    process.off("exit", remove);
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    remove();
  };
}
